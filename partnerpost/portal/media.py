"""Uploaded files, served by Django in every mode (development and production alike).

A file under MEDIA_ROOT is served only when a row names it: an item's document or image, a partner's
logo, or an edition's masthead. Anything else there (an `.html` put in place by other means, an edition's stored PDF, which has its
own address) answers 404. An item that is not public has its files served only to those who may see the
item (`content.permissions.can(user, "view", item)`); everyone else gets 404, exactly as for a name that
does not exist.

What the browser is told comes from the file's content (`content.uploads.detect`), never from its name:
documents always come as attachments; images are shown inline only when they are PNG, JPEG or WebP. Every
answer carries `X-Content-Type-Options: nosniff` and a Content-Security-Policy that allows nothing and
sandboxes the document, so even a file the browser would render can run no script on the site's origin.

Files of public items may be kept by browsers and proxies for MEDIA_CACHE_SECONDS; the others are marked
`private, no-store`. With MEDIA_ACCEL_REDIRECT set (for example `/protected-media/`), the bytes are left to
the front web server (nginx's X-Accel-Redirect to an `internal` location that maps to MEDIA_ROOT); the
checks and the headers stay here.
"""

from __future__ import annotations

import posixpath
from urllib.parse import quote

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse, HttpResponseNotModified
from django.utils.http import http_date, parse_http_date_safe
from django.views.decorators.http import require_safe

from partnerpost.content import uploads
from partnerpost.content.models import Item
from partnerpost.content.permissions import can
from partnerpost.editions.models import Edition
from partnerpost.network.models import Partner
from partnerpost.network.permissions import can_view_edition

POLICY = "default-src 'none'; sandbox"


def _clean_name(path: str) -> str:
    name = posixpath.normpath(path).lstrip("/")
    if name in ("", ".") or name.startswith("..") or "\\" in name or "\x00" in name:
        raise Http404
    return name


def _owner(name: str):
    """The row that names this file and whether it is a document; Http404 when no row does."""
    item = Item.objects.select_related("partner").filter(document_file=name).first()
    if item is not None:
        return item, True
    item = Item.objects.select_related("partner").filter(image=name).first()
    if item is not None:
        return item, False
    partner = Partner.objects.filter(logo=name).first()
    if partner is not None:
        return partner, False
    # A translation shares its original's masthead: the file is public when any edition showing it is.
    editions = sorted(Edition.objects.filter(masthead=name), key=lambda e: not e.is_published)
    if editions:
        return editions[0], False
    raise Http404


@require_safe
def serve_media(request, path):
    name = _clean_name(path)
    owner, is_document = _owner(name)
    if isinstance(owner, Item):
        if not can(request.user, "view", owner):
            raise Http404
        public = owner.is_live
        base = owner.slug
    elif isinstance(owner, Edition):
        # A draft edition's masthead is seen by those who may see the draft (editors), like the draft itself.
        if not can_view_edition(request.user, owner):
            raise Http404
        public = owner.is_published
        base = owner.slug
    else:
        public = owner.is_active
        base = owner.slug if hasattr(owner, "slug") else "logo"
    try:
        if not default_storage.exists(name):
            raise Http404
        modified = default_storage.get_modified_time(name)
    except (SuspiciousFileOperation, OSError, NotImplementedError):
        raise Http404 from None

    with default_storage.open(name, "rb") as handle:
        found = uploads.detect(handle)
    if is_document:
        mime = found.mime if found in uploads.DOCUMENT_TYPES else "application/octet-stream"
        inline = False
    else:
        inline = found in uploads.IMAGE_TYPES
        mime = found.mime if inline else "application/octet-stream"
    extension = found.extension if found.extension != "bin" else "bin"
    filename = f"{base}.{extension}"

    last_modified = http_date(modified.timestamp())
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    if public and since is not None and int(modified.timestamp()) <= since:
        response = HttpResponseNotModified()
    elif getattr(settings, "MEDIA_ACCEL_REDIRECT", ""):
        response = HttpResponse(content_type=mime)
        response["X-Accel-Redirect"] = settings.MEDIA_ACCEL_REDIRECT.rstrip("/") + "/" + quote(name)
    else:
        response = FileResponse(default_storage.open(name, "rb"), content_type=mime)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Content-Type"] = mime
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = POLICY
    response["Last-Modified"] = last_modified
    if public:
        response["Cache-Control"] = f"public, max-age={settings.MEDIA_CACHE_SECONDS}"
    else:
        response["Cache-Control"] = "private, no-store"
    return response
