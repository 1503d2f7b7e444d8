"""Who hears about an editorial change: editors on submission, the partner's members on decisions."""

from __future__ import annotations

from django.urls import reverse

from partnerpost.notify import send_templated
from partnerpost.network.models import User

from .enums import AuditAction


def _editors():
    return list(
        User.objects.filter(is_active=True, is_secretariat_editor=True).exclude(email="").values_list("email", flat=True)
    )


def _members(item):
    return list(
        User.objects.filter(is_active=True, memberships__partner_id=item.partner_id)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def state_changed(item, actor, action: str, note: str = "") -> int:
    context = {
        "item": item,
        "actor": actor,
        "action": action,
        "note": note,
        "workspace_path": reverse("workspace:item", args=[item.pk]),
        "public_path": item.get_absolute_url(),
    }
    if action == AuditAction.SUBMIT:
        return send_templated("item-submitted", _editors(), context)
    if action in {AuditAction.APPROVE, AuditAction.REJECT, AuditAction.PUBLISH, AuditAction.SCHEDULE, AuditAction.WITHDRAW}:
        return send_templated("item-decision", _members(item), context)
    return 0
