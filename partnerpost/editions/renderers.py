"""The five renderings of an edition, all from the context of render.py.

Each rendering is made in the edition's own language, whatever the reader's interface language:
the furniture ("In this edition", "Page 3 / 12", "Read it online") goes through gettext with that
language active, and the root element carries its `lang` and `dir`. `furnish` adds what depends
on the language only, at render time, so that editions frozen before it existed render the same.
"""

from __future__ import annotations

import functools
import re
import textwrap
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

STATIC = Path(__file__).resolve().parent / "static" / "editions"
EMAIL_LIMIT_BYTES = 102 * 1024  # Gmail clips messages above this


#: How a language names itself in a note beside text written in it ("In English" above an
#: English entry of an Arabic edition). Other content languages use Django's local name.
IN_LANGUAGE = {
    "en": "In English",
    "fr": "En français",
    "es": "En español",
    "ar": "بالعربية",
    "zh-hans": "中文",
    "ru": "На русском языке",
}


def is_rtl(language: str) -> bool:
    try:
        return bool(translation.get_language_info(language)["bidi"])
    except KeyError:
        return False


def direction(language: str) -> str:
    return "rtl" if is_rtl(language) else "ltr"


def in_language(language: str) -> str:
    if language in IN_LANGUAGE:
        return IN_LANGUAGE[language]
    try:
        return translation.get_language_info(language)["name_local"]
    except KeyError:
        return language


def furnish(context: dict) -> dict:
    """A copy of the context with the direction and, on each entry written in another language
    than the edition, a note naming that language (in that language)."""
    language = context.get("language") or "en"
    sections = []
    for section in context["sections"]:
        entries = []
        for entry in section["entries"]:
            entry_language = entry.get("language") or language
            summary_language = entry.get("summary_language") or entry_language
            entries.append({
                **entry,
                "dir": direction(entry_language),
                "summary_language": summary_language,
                "summary_dir": direction(summary_language),
                "foreign": entry_language != language,
                "language_note": in_language(entry_language) if entry_language != language else "",
            })
        sections.append({**section, "entries": entries})
    rtl = is_rtl(language)
    return {
        **context, "sections": sections, "dir": "rtl" if rtl else "ltr", "rtl": rtl,
        "preheader": context.get("preheader") or preheader(sections),
        "start": "right" if rtl else "left", "end": "left" if rtl else "right",
    }


def preheader(sections: list[dict]) -> str:
    """The preview line inboxes show after the subject, when the editor wrote none: how many entries,
    and the sections they are in (in the edition's language, which is active here)."""
    count = sum(len(section["entries"]) for section in sections)
    names = ", ".join(section.get("partner") or section["title"] for section in sections)
    line = ngettext("%(count)d entry: %(sections)s", "%(count)d entries: %(sections)s", count) % {
        "count": count, "sections": names}
    return Truncator(line).chars(140)


def render_web_fragment(context: dict) -> str:
    with translation.override(context.get("language") or "en"):
        return render_to_string("editions/_edition_body.html", {"e": furnish(context)})


def render_email_html(context: dict, recipient_links: dict | None = None) -> str:
    """Table-based email with CSS inlined once. `recipient_links` fills the personal footer slot."""

    with translation.override(context.get("language") or "en"):
        html = render_to_string("editions/email.html", {"e": furnish(context), "recipient": recipient_links})
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
    with translation.override(context.get("language") or "en"):
        return _text(furnish(context), recipient_links)


def _text(context: dict, recipient_links: dict | None) -> str:
    lines = []
    width = 76

    def para(text, indent=""):
        # Only ASCII white space is folded: a no-break space (French "langue ; voici") stays whole.
        words = re.split(r"[ \t\r\n]+", text.strip())
        lines.extend(textwrap.wrap(" ".join(words), width, initial_indent=indent, subsequent_indent=indent) or [""])

    lines += [context["network"].upper(), context["title"], context["period"]]
    if context["volume"] or context["number"]:
        lines.append(" ".join(filter(None, [
            _("Vol. %(n)s") % {"n": context["volume"]} if context["volume"] else "",
            _("No. %(n)s") % {"n": context["number"]} if context["number"] else "",
        ])))
    lines += ["", _("Read it online: %(url)s") % {"url": context["url"]},
              _("Print edition (PDF): %(url)s") % {"url": context["pdf_url"]}, ""]
    if context.get("fallback_note"):
        para(context["fallback_note"])
        lines.append("")
    if context.get("targeted_note"):
        para(context["targeted_note"])
        lines += [f"{context['targeted_link']}: {context['url']}", ""]
    if context["introduction_html"]:
        from partnerpost.lib.markup import plain_text

        para(plain_text(context["introduction_html"]))
        lines.append("")
    lines.append(_("In this edition"))
    for section in context["sections"]:
        lines.append(f"  - {section['title']} ({len(section['entries'])})")
    lines.append("")
    for section in context["sections"]:
        lines += ["=" * width, section["title"].upper(), "=" * width, ""]
        for entry in section["entries"]:
            title = entry["title"] + (f" [{entry['language_note']}]" if entry["language_note"] else "")
            lines.append(title)
            lines.append("-" * min(width, len(title)))
            meta = " · ".join(filter(None, [entry["kind_label"], entry["when"], entry["time"], entry["where"]]))
            if meta:
                para(meta)
            para(entry["summary"])
            if entry["facts"]:
                para(" · ".join(entry["facts"]))
            # An item with no link of its own has the portal page as its only link: print it once.
            for link in entry["links"]:
                if link["url"] != entry["url"]:
                    lines.append(f"  {link['label']}: {link['url']}")
            lines.append("  " + _("On the portal: %(url)s") % {"url": entry["url"]})
            lines.append("")
    lines += ["-" * width]
    para(context["disclaimer"])
    if context["contact_email"]:
        lines.append(_("Contact: %(email)s") % {"email": context["contact_email"]})
    for link in context["social_links"]:
        lines.append(f"{link['label']}: {link['url']}")
    if recipient_links:
        lines += ["", _("Your preferences: %(url)s") % {"url": recipient_links["preferences_url"]},
                  _("Unsubscribe: %(url)s") % {"url": recipient_links["unsubscribe_url"]}]
    return "\n".join(lines).rstrip() + "\n"


def render_markdown(context: dict) -> str:
    with translation.override(context.get("language") or "en"):
        return render_to_string("editions/edition.md", {"e": furnish(context)}).strip() + "\n"


def render_pdf(context: dict) -> bytes:
    from weasyprint import HTML

    with translation.override(context.get("language") or "en"):
        html = render_to_string("editions/print.html", {"e": furnish(context), "static": STATIC.as_uri()})
    # Tagged PDF: screen readers get headings, lists and reading order.
    return HTML(string=html, base_url=STATIC.as_uri() + "/", url_fetcher=_fetcher_class()()).write_pdf(pdf_tags=True)


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class Fetcher(URLFetcher):
        """What WeasyPrint may load: our own static files (the fonts), and uploaded pictures, which the context
        names by their public address (SITE_URL + MEDIA_URL + name) and which are read from the storage rather
        than over the network (the PDF is often rendered inside a request to this same server). Nothing else is
        fetched: the PDF of an edition never dials out."""

        def fetch(self, url, headers=None):
            from urllib.parse import unquote

            from django.conf import settings
            from django.core.files.storage import default_storage

            from partnerpost.content import uploads

            if url.startswith(STATIC.as_uri() + "/") and ".." not in url:
                return super().fetch(url, headers)
            prefix = settings.SITE_URL + settings.MEDIA_URL
            name = unquote(url[len(prefix):]) if url.startswith(prefix) else ""
            if name and ".." not in name.split("/") and default_storage.exists(name):
                with default_storage.open(name, "rb") as handle:
                    data = handle.read()
                found = uploads.detect(data)
                if found in uploads.IMAGE_TYPES:
                    return URLFetcherResponse(url, data, {"Content-Type": found.mime})
            raise ValueError(f"Not loaded into the PDF: {url}")

    return Fetcher


def render_print(template: str, context: dict, language: str = "en") -> bytes:
    """Another app's print document through this renderer: its template may use the edition's fonts
    (`url("fonts/...")`, resolved against editions/static/editions/) and gets the same tagged PDF.
    The calls catalogue uses it; editions never import their users."""
    from weasyprint import HTML

    with translation.override(language):
        html = render_to_string(template, {**context, "static": STATIC.as_uri()})
    return HTML(string=html, base_url=STATIC.as_uri() + "/").write_pdf(pdf_tags=True)


def render_standalone(context: dict) -> str:
    """The web rendering as one self-contained page."""
    with translation.override(context.get("language") or "en"):
        return render_to_string("editions/standalone.html", {"e": furnish(context), "css": _site_css()})


def render(context: dict, fmt: str) -> bytes:
    """The bytes of one rendering; `fmt` is web, email, text, pdf or md."""
    if fmt == "pdf":
        return render_pdf(context)
    text = {
        "web": lambda: render_standalone(context),
        "email": lambda: render_email_html(context),
        "text": lambda: render_text(context),
        "md": lambda: render_markdown(context),
    }[fmt]()
    return text.encode("utf-8")
