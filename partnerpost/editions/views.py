from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from partnerpost.content.models import Item
from partnerpost.network.permissions import can_view_edition, is_editor
from partnerpost.network.access import require

from . import workflows
from .enums import FORMATS
from .forms import EditionForm
from .models import Edition, Entry, Section
from .render import context_for
from . import renderers, stored

CONTENT_TYPES = {
    "web": "text/html; charset=utf-8",
    "email": "text/html; charset=utf-8",
    "text": "text/plain; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "pdf": "application/pdf",
}


def _visible(request, **lookup) -> Edition:
    edition = get_object_or_404(Edition, **lookup)
    if not can_view_edition(request.user, edition):
        raise Http404
    return edition


# Public -------------------------------------------------------------------------

def archive(request):
    # One line per edition: the originals, each with its published translations beside it.
    translations = Edition.objects.published().exclude(translation_of=None).order_by("language")
    editions = Edition.objects.published().filter(translation_of=None).prefetch_related(
        Prefetch("translations", queryset=translations, to_attr="published_translations"))
    return render(request, "editions/archive.html", {"editions": editions})


def detail(request, slug):
    edition = _visible(request, slug=slug)
    context = context_for(edition)
    return render(request, "editions/detail.html", {"edition": edition, "e": context, "body": renderers.render_web_fragment(context)})


def download(request, slug, fmt):
    edition = _visible(request, slug=slug)
    if fmt == "pdf" and edition.is_published:
        # Rendered once, then served from the stored file (see editions.stored); drafts render live below.
        name = stored.stored_pdf(edition)
        response = FileResponse(default_storage.open(name, "rb"), content_type=CONTENT_TYPES["pdf"])
        response["Content-Disposition"] = f'inline; filename="{edition.slug}.pdf"'
        response["Cache-Control"] = "public, max-age=3600"
        return response
    response = HttpResponse(renderers.render(context_for(edition), fmt), content_type=CONTENT_TYPES[fmt])
    if fmt == "pdf":
        response["Content-Disposition"] = f'inline; filename="{edition.slug}.pdf"'
    return response


# Composer (secretariat editors) -----------------------------------------------------

@require(is_editor)
def manage(request):
    # The footer (disclaimer, contact, social links) starts as the previous edition's.
    form = EditionForm(request.POST or None, request.FILES or None, initial={"language": "en", **workflows.carried_over()})
    if request.method == "POST" and form.is_valid():
        try:
            edition = workflows.create_edition(request.user, form.save(commit=False), populate=True)
        except workflows.EditionError as exc:
            form.add_error(None, str(exc))
        else:
            count = Entry.objects.filter(section__edition=edition).count()
            messages.success(request, _("Edition created with %(n)d items from the period. Arrange them below.") % {"n": count})
            return redirect("compose:edition", edition.pk)
    return render(request, "editions/manage.html", {"editions": Edition.objects.all(), "form": form})


@require(is_editor)
def compose(request, pk):
    edition = get_object_or_404(Edition, pk=pk)
    sections = edition.sections.prefetch_related("entries__item__partner")
    available = list(workflows.candidates(edition)) if edition.is_editable else []
    return render(request, "editions/compose.html", {
        "edition": edition, "sections": sections, "available": available,
        "formats": FORMATS, "translations": edition.translations.order_by("language"),
        "translation_languages": workflows.translation_languages(edition),
        "language_names": dict(settings.LANGUAGES),
    })


@require(is_editor)
def settings_view(request, pk):
    edition = get_object_or_404(Edition, pk=pk)
    form = EditionForm(request.POST or None, request.FILES or None, instance=edition)
    if not edition.is_editable:
        raise PermissionDenied
    if request.method == "POST" and form.is_valid():
        try:
            workflows.update_edition(request.user, form.save(commit=False))
        except workflows.EditionError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved."))
            return redirect("compose:edition", edition.pk)
    return render(request, "editions/settings.html", {"edition": edition, "form": form})


@require(is_editor)
@require_POST
def action(request, pk, verb):
    edition = get_object_or_404(Edition, pk=pk)
    try:
        if verb == "add":
            item = get_object_or_404(Item, pk=request.POST.get("item"))
            workflows.add_entry(request.user, edition, item)
            messages.success(request, _("Added “%(title)s”.") % {"title": item.title})
        elif verb == "remove":
            workflows.remove_entry(request.user, _entry(edition, request.POST.get("entry")))
            messages.success(request, _("Removed."))
        elif verb == "move":
            workflows.move_entry(request.user, _entry(edition, request.POST.get("entry")), request.POST.get("direction", ""))
        elif verb == "move-section":
            section = get_object_or_404(Section, pk=request.POST.get("section"), edition=edition)
            workflows.move_section(request.user, section, request.POST.get("direction", ""))
        elif verb == "summary":
            workflows.set_entry_summary(request.user, _entry(edition, request.POST.get("entry")), request.POST.get("summary", ""))
            messages.success(request, _("Summary for this edition saved."))
        elif verb == "section":
            workflows.add_section(request.user, edition, request.POST.get("title", ""))
        elif verb == "rename-section":
            section = get_object_or_404(Section, pk=request.POST.get("section"), edition=edition)
            workflows.rename_section(request.user, section, request.POST.get("title", ""))
            messages.success(request, _("Section renamed."))
        elif verb == "translate":
            translation = workflows.translate_edition(request.user, edition, request.POST.get("language", ""))
            messages.success(request, _(
                "Translation created as a draft. Write its title, introduction and disclaimer in Settings, "
                "and each summary with “Edit summary”."
            ))
            return redirect("compose:edition", translation.pk)
        elif verb == "ready":
            workflows.mark_ready(request.user, edition)
            messages.success(request, _("Marked ready."))
        elif verb == "publish":
            workflows.publish_edition(request.user, edition)
            messages.success(request, _("Published. The edition's text is now frozen."))
        else:
            raise Http404
    except workflows.EditionError as exc:
        messages.error(request, str(exc))
    target = redirect("compose:edition", edition.pk)
    if request.POST.get("anchor"):
        target["Location"] += "#" + request.POST["anchor"]
    return target


def _entry(edition, pk) -> Entry:
    return get_object_or_404(Entry, pk=pk, section__edition=edition)


@require(is_editor)
@require_POST
def reorder(request, pk):
    """Drag and drop sends the whole layout as JSON: {"sections": [{"id": 1, "entries": [3, 4]}, ...]}."""
    edition = get_object_or_404(Edition, pk=pk)
    try:
        payload = json.loads(request.body)
        layout = [(int(s["id"]), [int(e) for e in s["entries"]]) for s in payload["sections"]]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": _("The order could not be read.")}, status=400)
    try:
        workflows.reorder(request.user, edition, layout)
    except workflows.EditionError as exc:
        return JsonResponse({"error": str(exc)}, status=409)
    return JsonResponse({"ok": True, "message": _("New order saved.")})


@require(is_editor)
def preview(request, pk):
    edition = get_object_or_404(Edition, pk=pk)
    context = context_for(edition)
    return render(request, "editions/preview.html", {"edition": edition, "e": context, "text": renderers.render_text(context)})


@require(is_editor)
@xframe_options_sameorigin
def rendering(request, pk, fmt):
    """One rendering of a draft, for the preview frames and downloads."""
    if fmt not in FORMATS:
        raise Http404
    edition = get_object_or_404(Edition, pk=pk)
    response = HttpResponse(renderers.render(context_for(edition), fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Security-Policy"] = "default-src 'self'; img-src 'self' https: data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'self'"
    return response
