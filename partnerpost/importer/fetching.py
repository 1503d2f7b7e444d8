"""Fetching one document from an address typed by a person: a partner's feed, or a newsletter page.

The address comes from outside, so the fetch is careful (the standard library's http.client, driven by hand):

- only http and https, no user name or password in the address;
- every address the host name resolves to is checked, on every redirect, and the connection goes to the
  address that was checked (no second look-up that could answer differently); loopback, private, link-local
  and other non-public addresses are refused unless `FETCH_ALLOW_PRIVATE` is on;
- at most `MAX_REDIRECTS` redirects, and a redirect back to an address already visited is named as a loop;
- one deadline for the whole fetch (`FETCH_TIMEOUT_SECONDS`), checked on every read, so a server that
  trickles bytes is cut off as surely as one that never answers;
- at most `FETCH_MAX_BYTES`, whether the server announces the length or not;
- conditional requests: the caller passes the ETag and Last-Modified it kept, and gets status 304 back.

Each refusal is a `FetchError` whose message says what went wrong in words a partner understands.
"""

from __future__ import annotations

import http.client
import ipaddress
import socket
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings

MAX_REDIRECTS = 5
USER_AGENT = "Partnerpost feed reader (+https://github.com/partnerpost)"
_REDIRECTS = {301, 302, 303, 307, 308}


class FetchError(Exception):
    """The address could not be fetched; the message says why."""


@dataclass
class Fetched:
    url: str  # the address finally answered, after redirects
    status: int  # 200, or 304 when the document has not changed
    body: bytes = b""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""


@dataclass
class Limits:
    max_bytes: int
    timeout: float
    allow_private: bool

    @classmethod
    def from_settings(cls) -> Limits:
        return cls(max_bytes=settings.FETCH_MAX_BYTES, timeout=float(settings.FETCH_TIMEOUT_SECONDS),
                   allow_private=settings.FETCH_ALLOW_PRIVATE)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.0f} KB"


def check_address(url: str) -> tuple[str, str, int, str]:
    """(scheme, host, port, path with query) of an address that may be fetched at all, or FetchError."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise FetchError(f"{url!r} is not a valid address ({exc}).") from None
    if parts.scheme not in ("http", "https"):
        raise FetchError(f"{url!r}: only http:// and https:// addresses can be fetched.")
    if not parts.hostname:
        raise FetchError(f"{url!r} has no host name.")
    if parts.username or parts.password:
        raise FetchError(f"{url!r}: addresses with a user name or password are not fetched.")
    port = port or (443 if parts.scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return parts.scheme, parts.hostname, port, path


def _resolve(host: str, port: int, allow_private: bool, deadline: float) -> str:
    """The IP address to connect to: every address of the name must be public (unless allowed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise FetchError(f"The host name {host} could not be found.") from None
    if time.monotonic() > deadline:
        raise FetchError("Timed out while looking up the host name.")
    addresses = []
    for info in infos:
        address = info[4][0].split("%", 1)[0]
        ip = ipaddress.ip_address(address)
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        if not allow_private and not ip.is_global:
            raise FetchError(f"{host} points to a private or local network address ({ip}); such addresses are "
                             "not fetched.")
        if ip.is_multicast or ip.is_unspecified:
            raise FetchError(f"{host} points to an address that cannot be fetched ({ip}).")
        addresses.append(str(ip))
    if not addresses:
        raise FetchError(f"The host name {host} has no address.")
    return addresses[0]


def _connection(scheme: str, host: str, port: int, ip: str, timeout: float) -> http.client.HTTPConnection:
    cls = http.client.HTTPSConnection if scheme == "https" else http.client.HTTPConnection
    conn = cls(host, port, timeout=timeout)

    def connect_to_checked_address(address, timeout=None, source_address=None, **kwargs):
        # http.client calls this with (host, port); connect to the address that was checked instead.
        return socket.create_connection((ip, port), timeout, source_address)

    conn._create_connection = connect_to_checked_address  # TLS still checks the certificate against `host`
    return conn


def fetch(url: str, *, etag: str = "", last_modified: str = "", accept: str = "*/*",
          limits: Limits | None = None) -> Fetched:
    """GET the address, following redirects with care. Raises FetchError."""
    limits = limits or Limits.from_settings()
    deadline = time.monotonic() + limits.timeout
    seen = []
    current = url.strip()
    for _hop in range(MAX_REDIRECTS + 1):
        scheme, host, port, path = check_address(current)
        if current in seen:
            raise FetchError(f"The address redirects in a loop ({' -> '.join(seen + [current])}).")
        seen.append(current)
        ip = _resolve(host, port, limits.allow_private, deadline)
        headers = {"User-Agent": USER_AGENT, "Accept": accept, "Accept-Encoding": "identity"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            remaining = _remaining(deadline, limits)
            conn = _connection(scheme, host, port, ip, remaining)
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                if response.status in _REDIRECTS:
                    location = response.getheader("Location")
                    if not location:
                        raise FetchError(f"The server answered {response.status} without saying where to go.")
                    current = urljoin(current, location.strip())
                    continue
                if response.status == 304:
                    return Fetched(url=current, status=304, etag=response.getheader("ETag") or etag,
                                   last_modified=response.getheader("Last-Modified") or last_modified)
                if response.status != 200:
                    raise FetchError(f"The server answered {response.status} {response.reason}".rstrip() + ".")
                body = _read_body(response, conn, deadline, limits)
                return Fetched(url=current, status=200, body=body,
                               content_type=(response.getheader("Content-Type") or "").split(";")[0].strip().lower(),
                               etag=response.getheader("ETag") or "",
                               last_modified=response.getheader("Last-Modified") or "")
            finally:
                conn.close()
        except FetchError:
            raise
        except (socket.timeout, TimeoutError):
            raise FetchError(f"The server did not answer within {limits.timeout:g} seconds.") from None
        except OSError as exc:  # refused connections, TLS failures, resets
            raise FetchError(f"Could not fetch {current}: {exc.strerror or exc}.") from None
        except http.client.HTTPException as exc:
            raise FetchError(f"The server's answer was not valid HTTP ({type(exc).__name__}).") from None
    raise FetchError(f"The address redirects more than {MAX_REDIRECTS} times ({' -> '.join(seen)}).")


def _remaining(deadline: float, limits: Limits) -> float:
    left = deadline - time.monotonic()
    if left <= 0:
        raise FetchError(f"The server did not answer within {limits.timeout:g} seconds.")
    return left


def _read_body(response, conn, deadline: float, limits: Limits) -> bytes:
    declared = response.getheader("Content-Length")
    if declared and declared.isdigit() and int(declared) > limits.max_bytes:
        raise FetchError(f"The document is {_size(int(declared))}; the limit is {_size(limits.max_bytes)}.")
    chunks, total = [], 0
    while True:
        left = _remaining(deadline, limits)
        if conn.sock is not None:
            conn.sock.settimeout(left)
        chunk = response.read1(64 * 1024) if hasattr(response, "read1") else response.read(64 * 1024)
        if not chunk:
            break
        total += len(chunk)
        if total > limits.max_bytes:
            raise FetchError(f"The document is larger than the limit of {_size(limits.max_bytes)}.")
        chunks.append(chunk)
    return b"".join(chunks)


_NAMES = {"text/html": "html", "application/xhtml+xml": "html", "application/pdf": "pdf", "text/markdown": "md",
          "text/x-markdown": "md", "text/plain": "txt"}


def fetch_document(url: str, *, max_bytes: int) -> tuple[bytes, str]:
    """A newsletter page or file at an address: (its bytes, a file name the importer's reader understands).

    The name is the address's last path segment; when that has no extension the importer knows, the one
    the server's Content-Type gives is added ("news" served as text/html reads as "news.html")."""
    limits = Limits.from_settings()
    limits.max_bytes = max_bytes
    fetched = fetch(url, accept="text/html, application/pdf, text/markdown, text/plain;q=0.9, */*;q=0.5",
                    limits=limits)
    segment = urlsplit(fetched.url).path.rstrip("/").rsplit("/", 1)[-1] or urlsplit(fetched.url).hostname or "page"
    extension = _NAMES.get(fetched.content_type)
    known = segment.lower().endswith((".pdf", ".html", ".htm", ".xhtml", ".md", ".markdown", ".txt", ".text"))
    name = segment if known or extension is None else f"{segment}.{extension}"
    return fetched.body, name[:200]
