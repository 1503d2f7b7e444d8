"""The five renderings of an edition, all from the context of render.py."""

from __future__ import annotations

import functools
import textwrap
from pathlib import Path

from django.template.loader import render_to_string

STATIC = Path(__file__).resolve().parent / "static" / "editions"
EMAIL_LIMIT_BYTES = 102 * 1024  # Gmail clips messages above this


def render_web_fragment(context: dict) -> str:
    return render_to_string("editions/_edition_body.html", {"e": context})


def render_email_html(context: dict, recipient_links: dict | None = None) -> str:
    """Table-based email with CSS inlined once. `recipient_links` fills the personal footer slot."""

    html = render_to_string("editions/email.html", {"e": context, "recipient": recipient_links})
    return _inliner().inline(html)


@functools.cache
def _inliner():
    import css_inline

    # @media rules (mobile, dark mode) stay in a <style> block; everything else moves into style="".
    return css_inline.CSSInliner(keep_style_tags=False, keep_at_rules=True, load_remote_stylesheets=False)


@functools.cache
def _site_css() -> str:
    """The portal's stylesheet, embedded so that the web rendering is one self-contained file."""
    return (Path(__file__).resolve().parent.parent / "portal" / "static" / "portal" / "site.css").read_text()


def render_text(context: dict, recipient_links: dict | None = None) -> str:
    lines = []
    width = 76

    def para(text, indent=""):
        lines.extend(textwrap.wrap(" ".join(text.split()), width, initial_indent=indent, subsequent_indent=indent) or [""])

    lines += [context["network"].upper(), context["title"], context["period"]]
    if context["volume"] or context["number"]:
        lines.append(" ".join(filter(None, [f"Vol. {context['volume']}" if context["volume"] else "", f"No. {context['number']}" if context["number"] else ""])))
    lines += ["", f"Read it online: {context['url']}", f"Print edition (PDF): {context['pdf_url']}", ""]
    if context["introduction_html"]:
        from partnerpost.lib.markup import plain_text

        para(plain_text(context["introduction_html"]))
        lines.append("")
    for section in context["sections"]:
        lines += ["=" * width, section["title"].upper(), "=" * width, ""]
        for entry in section["entries"]:
            lines.append(entry["title"])
            lines.append("-" * min(width, len(entry["title"])))
            meta = " · ".join(filter(None, [entry["kind_label"], entry["when"], entry["time"], entry["where"]]))
            if meta:
                para(meta)
            para(entry["summary"])
            if entry["facts"]:
                para(" · ".join(entry["facts"]))
            for link in entry["links"]:
                lines.append(f"  {link['label']}: {link['url']}")
            lines.append(f"  On the portal: {entry['url']}")
            lines.append("")
    lines += ["-" * width]
    para(context["disclaimer"])
    if context["contact_email"]:
        lines.append(f"Contact: {context['contact_email']}")
    for link in context["social_links"]:
        lines.append(f"{link['label']}: {link['url']}")
    if recipient_links:
        lines += ["", f"Your preferences: {recipient_links['preferences_url']}", f"Unsubscribe: {recipient_links['unsubscribe_url']}"]
    return "\n".join(lines).rstrip() + "\n"


def render_markdown(context: dict) -> str:
    return render_to_string("editions/edition.md", {"e": context}).strip() + "\n"


def render_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("editions/print.html", {"e": context, "static": STATIC.as_uri()})
    # Tagged PDF: screen readers get headings, lists and reading order.
    return HTML(string=html, base_url=STATIC.as_uri() + "/").write_pdf(pdf_tags=True)


def render(context: dict, fmt: str) -> bytes:
    """The bytes of one rendering; `fmt` is web, email, text, pdf or md."""
    if fmt == "pdf":
        return render_pdf(context)
    text = {
        "web": lambda: render_to_string("editions/standalone.html", {"e": context, "css": _site_css()}),
        "email": lambda: render_email_html(context),
        "text": lambda: render_text(context),
        "md": lambda: render_markdown(context),
    }[fmt]()
    return text.encode("utf-8")
