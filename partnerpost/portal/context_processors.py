from django.conf import settings

from partnerpost.network.permissions import can_use_workspace, is_editor


def site(request):
    user = getattr(request, "user", None)
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_TAGLINE": settings.SITE_TAGLINE,
        "SITE_URL": settings.SITE_URL,
        "user_is_editor": is_editor(user),
        "user_has_workspace": can_use_workspace(user) if user else False,
        "outbox_enabled": settings.EMAIL_BACKEND.endswith("OutboxBackend"),
    }
