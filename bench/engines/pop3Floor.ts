// The floor for bench/cases/pop3Peers.ts: a bare socket that logs in, pipelines STAT's count of RETR commands
// at once and only counts bytes and message terminators. No parsing, no dot-unstuffing, no storage: no POP3
// client can move the same mail faster over this connection. argv: host port user password expectedCount
import { connect } from 'node:net';

const [host, port, user, password, expected] = process.argv.slice(2);
const count = Number(expected);
const socket = connect(Number(port), host);
let phase: 'greeting' | 'user' | 'pass' | 'retr' | 'quit' = 'greeting';
let pending = '';
let bytes = 0;
let done = 0;
let tail = '';

socket.on('data', (chunk: Buffer) => {
  if (phase === 'quit') return;
  bytes += chunk.length;
  if (phase === 'retr') {
    // Count "\r\n.\r\n" terminators across chunk boundaries; nothing else is looked at.
    const text = tail + chunk.toString('latin1');
    let at = text.indexOf('\r\n.\r\n');
    while (at !== -1) {
      done++;
      at = text.indexOf('\r\n.\r\n', at + 5);
    }
    tail = text.slice(-4);
    if (done >= count) {
      phase = 'quit';
      socket.end('QUIT\r\n', () => process.stdout.write(`${bytes}\n`));
    }
    return;
  }
  pending += chunk.toString('latin1');
  if (!pending.includes('\r\n')) return;
  if (!pending.startsWith('+OK')) throw new Error(`server said: ${pending}`);
  pending = '';
  if (phase === 'greeting') {
    phase = 'user';
    socket.write(`USER ${user}\r\n`);
  } else if (phase === 'user') {
    phase = 'pass';
    socket.write(`PASS ${password}\r\n`);
  } else {
    phase = 'retr';
    socket.write(Array.from({ length: count }, (_, i) => `RETR ${i + 1}\r\n`).join(''));
  }
});
socket.on('error', (error) => {
  console.error(error);
  process.exit(1);
});
