"""Read a PDF's pages, links and metadata with pypdfium2, for the tests."""

import ctypes

import pypdfium2 as pdfium
import pypdfium2.raw as raw


def _string(getter, *args) -> str:
    size = getter(*args, None, 0)
    buffer = ctypes.create_string_buffer(size)
    getter(*args, buffer, size)
    return buffer.raw[:size]


def read(data: bytes) -> dict:
    pdf = pdfium.PdfDocument(data)
    pages, links = [], []
    for page in pdf:
        pages.append(page.get_textpage().get_text_bounded())
        position, link = ctypes.c_int(0), raw.FPDF_LINK()
        while raw.FPDFLink_Enumerate(page.raw, ctypes.byref(position), ctypes.byref(link)):
            action = raw.FPDFLink_GetAction(link)
            if action:
                links.append(_string(raw.FPDFAction_GetURIPath, pdf.raw, action).rstrip(b"\0").decode())
    size = raw.FPDFCatalog_GetLanguage(pdf.raw, None, 0)
    wide = (ctypes.c_ushort * max(size // 2, 1))()
    raw.FPDFCatalog_GetLanguage(pdf.raw, wide, size)
    language = bytes(wide).decode("utf-16-le").rstrip("\0")
    return {"pages": pages, "links": links, "metadata": pdf.get_metadata_dict(), "language": language}
