"""The print PDF of a published edition, rendered once and kept as a file.

Rendering the A4 PDF takes the better part of a second. A published edition's text is frozen (its snapshot),
so its PDF never changes: the first request after publication renders it, under a row lock so that readers
arriving together wait for one rendering instead of starting one each, and stores it in the default storage
under `editions/`; every later request is served the stored file. The file's name carries a digest of the
snapshot as rendered (with its links on the current SITE_URL), so a snapshot that changed, a site that moved
(`PORT=8080 make run`) or a file that went missing is rendered again. Drafts are never
stored: editors preview them live.

The media view does not serve these files (no item names them); `newsletter.pdf` is their only address.
"""

from __future__ import annotations

import hashlib
import json

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from . import renderers
from .models import Edition
from .render import context_for


def _name_for(edition: Edition) -> str:
    # The digest is of what is printed, links included: when SITE_URL changes, the PDF is rendered again.
    digest = hashlib.sha256(json.dumps(context_for(edition), sort_keys=True, default=str).encode()).hexdigest()[:16]
    return f"editions/{edition.slug}-{digest}.pdf"


def _is_stored(edition: Edition, name: str) -> bool:
    return edition.pdf_name == name and default_storage.exists(name)


def stored_pdf(edition: Edition) -> str:
    """The storage name of a published edition's PDF, rendering and storing it first when it is missing."""
    if not edition.is_published or not edition.snapshot:
        raise ValueError("Only a published edition has a stored PDF; render drafts with renderers.render.")
    name = _name_for(edition)
    if _is_stored(edition, name):
        return name
    with transaction.atomic():
        locked = Edition.objects.select_for_update().get(pk=edition.pk)
        name = _name_for(locked)
        if _is_stored(locked, name):  # another request rendered it while this one waited
            edition.pdf_name = locked.pdf_name
            return name
        data = renderers.render(context_for(locked), "pdf")
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, ContentFile(data))
        old = locked.pdf_name
        Edition.objects.filter(pk=locked.pk).update(pdf_name=saved)
        edition.pdf_name = saved
    if old and old != saved:
        transaction.on_commit(lambda: default_storage.delete(old) if default_storage.exists(old) else None)
    return saved
