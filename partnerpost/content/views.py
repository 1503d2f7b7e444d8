"""The workspace: contributors write and submit items, editors review and publish them."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerpost.network.permissions import can_use_workspace, creatable_partners, is_editor
from .permissions import can
from partnerpost.network.access import require

from . import workflows
from .enums import ItemState
from .forms import ItemForm
from .models import Item

TRANSITIONS = {
    "submit": workflows.submit_item,
    "approve": workflows.approve_item,
    "reject": workflows.reject_item,
    "publish": workflows.publish_item,
    "withdraw": workflows.withdraw_item,
    "redraft": workflows.redraft_item,
}


def _workspace_items(user):
    return Item.objects.visible_to(user).select_related("partner").order_by("-updated_at")


@require(can_use_workspace)
def dashboard(request):
    state = request.GET.get("state", "")
    items = _workspace_items(request.user)
    if not is_editor(request.user):
        items = items.filter(partner__in=creatable_partners(request.user))
    counts = dict.fromkeys(ItemState.values, 0)
    counts.update(items.order_by().values_list("state").annotate(n=Count("id")))
    if state in ItemState.values:
        items = items.filter(state=state)
    return render(
        request, "content/dashboard.html",
        {
            "items": items[:200], "state": state, "counts": counts,
            "states": ItemState.choices, "partners": creatable_partners(request.user),
        },
    )


@require(is_editor)
def review_queue(request):
    base = Item.objects.select_related("partner").order_by("submitted_at", "id")
    return render(
        request, "content/review.html",
        {
            "submitted": base.filter(state=ItemState.SUBMITTED),
            "approved": base.filter(state=ItemState.APPROVED),
            "scheduled": base.filter(state=ItemState.PUBLISHED, go_live_at__gt=timezone.now()),
        },
    )


def _item_or_404(user, pk) -> Item:
    item = get_object_or_404(Item.objects.select_related("partner"), pk=pk)
    if not can(user, "view", item) or not can_use_workspace(user):
        raise Http404
    return item


@require(can_use_workspace)
def item_create(request):
    partners = creatable_partners(request.user)
    initial = {"language": "en"}
    if request.GET.get("partner"):
        initial["partner"] = partners.filter(slug=request.GET["partner"]).first()
    elif partners.count() == 1:
        initial["partner"] = partners.first()
    if request.GET.get("kind"):
        initial["kind"] = request.GET["kind"]
    form = ItemForm(request.POST or None, request.FILES or None, user=request.user, initial=initial)
    return _save_form(request, form, None, submit="submit" in request.POST,
                      saved=_("Saved as a draft. Submit it when it is ready."))


@require(can_use_workspace)
def item_edit(request, pk):
    item = _item_or_404(request.user, pk)
    if not can(request.user, "edit", item):
        raise PermissionDenied
    form = ItemForm(request.POST or None, request.FILES or None, user=request.user, instance=item)
    return _save_form(request, form, item, submit="submit" in request.POST and can(request.user, "submit", item),
                      saved=_("Your changes are saved."))


def _save_form(request, form, item, *, submit: bool, saved: str):
    """Hand a valid form to the domain; show the domain's errors beside the fields, or go to the item."""
    if request.method == "POST" and form.is_valid():
        try:
            item = workflows.save_item(request.user, form.to_input(), item=item, submit=submit)
        except ValidationError as exc:
            form.add_domain_errors(exc)
        else:
            messages.success(request, _("Saved and submitted for review.") if submit else saved)
            return redirect("workspace:item", item.pk)
    return render(request, "content/item_form.html", {"form": form, "item": item})


@require(can_use_workspace)
def item_workspace(request, pk):
    item = _item_or_404(request.user, pk)
    actions = {name: can(request.user, name, item) for name in [*TRANSITIONS, "edit"]}
    history = item.audit_entries.select_related("actor").order_by("-at", "-id")
    return render(request, "content/item_workspace.html", {"item": item, "can": actions, "history": history})


@require(can_use_workspace)
@require_POST
def item_transition(request, pk, action):
    if action not in TRANSITIONS:
        raise Http404
    item = _item_or_404(request.user, pk)
    kwargs = {}
    if action in {"reject", "withdraw"}:
        kwargs["reason"] = request.POST.get("reason", "")
    if action == "publish" and request.POST.get("go_live_at"):
        try:
            naive = dt.datetime.fromisoformat(request.POST["go_live_at"])
        except ValueError:
            messages.error(request, _("Publish at: %(value)s is not a date and time.") % {"value": request.POST["go_live_at"]})
            return redirect("workspace:item", item.pk)
        kwargs["go_live_at"] = timezone.make_aware(naive) if timezone.is_naive(naive) else naive
    try:
        TRANSITIONS[action](request.user, item, **kwargs)
    except workflows.WorkflowError as exc:
        messages.error(request, str(exc))
        return redirect("workspace:item", item.pk)
    except ValidationError as exc:
        for messages_of_field in exc.message_dict.values():
            messages.error(request, _("Publish at: %(error)s") % {"error": messages_of_field[0]})
        return redirect("workspace:item", item.pk)
    done = {
        "submit": _("Submitted for review. The secretariat has been told."),
        "approve": _("Approved. Publish it when you are ready."),
        "reject": _("Returned to the partner with your reason."),
        "publish": _("Published."),
        "withdraw": _("Withdrawn from the portal."),
        "redraft": _("The item is a draft again."),
    }[action]
    if action == "publish" and item.is_scheduled:
        done = _("Scheduled to go live at %(when)s.") % {"when": timezone.localtime(item.go_live_at).strftime("%Y-%m-%d %H:%M %Z")}
    messages.success(request, done)
    if request.POST.get("next") == "review" and is_editor(request.user):
        return redirect("workspace:review")
    return redirect("workspace:item", item.pk)
