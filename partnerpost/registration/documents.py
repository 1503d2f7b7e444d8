"""PDF documents: the invoice of a fee and the certificate of attendance (WeasyPrint, as the editions'
print rendering). They use the Noto fonts shipped as static files, so Arabic, Chinese and Cyrillic
names and texts print on any server."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation


def _fonts_url() -> str:
    found = finders.find("editions/fonts/NotoSans-Regular.ttf")
    return Path(found).parent.as_uri() + "/" if found else (Path(settings.BASE_DIR).as_uri() + "/")


def render_pdf(template: str, context: dict, language: str) -> bytes:
    from weasyprint import HTML

    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template, {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL,
                                           "language": language, **context})
    return HTML(string=html, base_url=_fonts_url()).write_pdf(pdf_tags=True)


def invoice_pdf(invoice) -> bytes:
    from .payments import provider

    registration = invoice.registration
    return render_pdf("registration/invoice.html", {
        "invoice": invoice, "registration": registration, "item": registration.item, "partner": registration.item.partner,
        "instructions": provider(invoice.provider).instructions(invoice)}, registration.language)


def certificate_pdf(certificate) -> bytes:
    from .workflows import certificate_url

    registration = certificate.registration
    return render_pdf("registration/certificate.html", {
        "certificate": certificate, "registration": registration, "item": registration.item,
        "partner": registration.item.partner, "verify_url": certificate_url(certificate)}, registration.language)
