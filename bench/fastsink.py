"""A minimal SMTP sink for benchmarks: accepts everything, counts messages, stores nothing.

Run alone:  python bench/fastsink.py PORT [LOG]   (prints the count every second to stderr)
With LOG, the recipients of every accepted message are appended to that file, one address a line
(flushed every second), so a benchmark can count duplicates and missing recipients.
aiosmtpd parses every message and tops out near 900 messages/s for 5 KB; this one only
looks for the end-of-data marker, so the sender, not the sink, is what gets measured.
"""

import asyncio
import sys


class Session(asyncio.Protocol):
    count = 0
    log = None  # an open file for the recipients' addresses, or None


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
                    Session.log.write("".join(f"{address}\n" for address in self.recipients))
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
            elif verb == b"RCPT":
                address = line.partition(b":")[2].strip().split(b" ")[0].strip(b"<>")
                self.recipients.append(address.decode("ascii", "replace"))
                self.transport.write(b"250 OK\r\n")
            elif verb == b"MAIL" or verb == b"RSET":
                self.recipients = []
                self.transport.write(b"250 OK\r\n")
            elif verb == b"DATA":
                self.in_data = True
                self.transport.write(b"354 go ahead\r\n")
            elif verb == b"QUIT":
                self.transport.write(b"221 bye\r\n")
                self.transport.close()
                return
            else:
                self.transport.write(b"250 OK\r\n")


async def main(port):
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
    if len(sys.argv) > 2:
        Session.log = open(sys.argv[2], "a", buffering=1 << 20)  # noqa: SIM115 (lives as long as the process)
    asyncio.run(main(int(sys.argv[1])))
