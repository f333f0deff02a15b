# Python's imaplib as a peer for bench/cases/imapPeers.ts: log in, select the Inbox, and FETCH the summaries of the
# newest N messages (N=0: all), raw bytes, no parsing. Prints the bytes received.
import imaplib, sys

host, port, user, password, count = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], int(sys.argv[5])
client = imaplib.IMAP4(host, port)
client.login(user, password)
typ, data = client.select('INBOX', readonly=True)
exists = int(data[0])
first = 1 if count == 0 else max(1, exists - count + 1)
typ, data = client.fetch(f'{first}:*', '(UID FLAGS RFC822.SIZE INTERNALDATE ENVELOPE BODYSTRUCTURE)')
received = sum(len(part) if isinstance(part, bytes) else sum(len(p) for p in part if isinstance(p, bytes)) for part in data)
client.logout()
print(received)
