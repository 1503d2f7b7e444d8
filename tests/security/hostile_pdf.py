"""Hostile PDFs written as raw bytes, for the importer's limits (no Django here: a subprocess measures with it)."""

import zlib

FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _pdf(objects: list[bytes]) -> bytes:
    """Raw PDF bytes: objects 1..n, a cross-reference table that points at each, and a trailer."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s>>\nstream\n%s\nendstream" % (len(data), extra, data)


def _page_objects(contents: bytes) -> list[bytes]:
    return [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        contents,
        FONT,
    ]


def cyclic_pdf() -> bytes:
    """A page tree whose root lists itself among its kids."""
    objects = _page_objects(_stream(b"BT /F1 12 Tf 72 700 Td (Partners' newsletter, May 2007) Tj ET"))
    objects[1] = b"<< /Type /Pages /Kids [3 0 R 2 0 R] /Count 2 >>"
    return _pdf(objects)


def bomb_pdf(megabytes: int) -> bytes:
    """A one-page PDF whose page content, a few hundred KB packed, unpacks to `megabytes` MB."""
    line = b"BT /F1 12 Tf 72 700 Td (Workshop on digital government, 3 November 2020) Tj ET\n"
    block = line * (1024 * 1024 // len(line))
    packer = zlib.compressobj(9)
    packed = b"".join(packer.compress(block) for _ in range(megabytes)) + packer.flush()
    return _pdf(_page_objects(_stream(packed, b"/Filter /FlateDecode ")))
