"""A minimal SMTP sink for benchmarks: accepts everything, counts messages, stores nothing.

Run alone:  python bench/fastsink.py PORT [RECIPIENTS_FILE]    (prints the count every second to stderr)
aiosmtpd parses every message and tops out near 900 messages/s for 5 KB; this one only
looks for the end-of-data marker, so the sender, not the sink, is what gets measured.
With RECIPIENTS_FILE, the recipient of every accepted message is appended to it, one a line (written
out every second), so a benchmark can count duplicates and recipients that got nothing.
"""

import asyncio
import sys


class Session(asyncio.Protocol):
    count = 0
    #: The open RECIPIENTS_FILE, or None.
    log = None

    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""
        self.in_data = False
        self.recipients = []
        transport.write(b"220 fastsink ESMTP\r\n")

    def data_received(self, data):
        self.buffer += data
        while True:
            if self.in_data:
                end = self.buffer.find(b"\r\n.\r\n")
                if end < 0:
                    # keep only a tail long enough to hold a split marker
                    if len(self.buffer) > 8:
                        self.buffer = self.buffer[-8:]
                    return
                self.buffer = self.buffer[end + 5:]
                self.in_data = False
                Session.count += 1
                if Session.log is not None:
                    Session.log.write(b"".join(r + b"\n" for r in self.recipients))
                self.recipients = []
                self.transport.write(b"250 2.0.0 queued\r\n")
                continue
            line_end = self.buffer.find(b"\r\n")
            if line_end < 0:
                return
            line, self.buffer = self.buffer[:line_end], self.buffer[line_end + 2:]
            verb = line[:4].upper()
            if verb in (b"EHLO", b"HELO"):
                self.transport.write(b"250-fastsink\r\n250-8BITMIME\r\n250 SIZE 52428800\r\n")
            elif verb == b"DATA":
                self.in_data = True
                self.transport.write(b"354 go ahead\r\n")
            elif verb == b"RCPT":
                self.recipients.append(line[line.find(b"<") + 1:line.rfind(b">")] if b"<" in line else line[8:].strip())
                self.transport.write(b"250 OK\r\n")
            elif verb in (b"MAIL", b"RSET"):
                self.recipients = []
                self.transport.write(b"250 OK\r\n")
            elif verb == b"QUIT":
                self.transport.write(b"221 bye\r\n")
                self.transport.close()
                return
            else:
                self.transport.write(b"250 OK\r\n")


async def main(port, recipients_file=None):
    if recipients_file:
        Session.log = open(recipients_file, "ab")
    loop = asyncio.get_running_loop()
    server = await loop.create_server(Session, "127.0.0.1", port)
    async with server:
        while True:
            await asyncio.sleep(1)
            if Session.log is not None:
                Session.log.flush()
            sys.stderr.write(f"{Session.count}\n")
            sys.stderr.flush()


if __name__ == "__main__":
    asyncio.run(main(int(sys.argv[1]), sys.argv[2] if len(sys.argv) > 2 else None))
