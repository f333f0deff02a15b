"""Peer for bench/cases/pop3Peers.ts: downloads every message with Python's poplib, the way a simple client would
(UIDL, then RETR one by one), and writes each to its own file in OUT_DIR, or discards it when OUT_DIR is "-".
Prints the message count."""
import os
import poplib
import sys

host, port, user, password, out_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
client = poplib.POP3(host, port, timeout=60)
client.user(user)
client.pass_(password)
_, listing, _ = client.uidl()
count = 0
for entry in listing:
    number, uid = entry.decode().split()
    _, lines, _ = client.retr(int(number))
    if out_dir != "-":
        with open(os.path.join(out_dir, uid), "wb") as handle:
            handle.write(b"\n".join(lines) + b"\n")
    count += 1
client.quit()
print(count)
