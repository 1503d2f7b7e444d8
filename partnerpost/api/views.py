"""The workspace page where partner editors make and revoke their partner's API tokens."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from partnerpost.network.permissions import api_token_partners, can_manage_api_tokens
from partnerpost.network.access import require

from . import workflows
from .forms import TokenForm
from .models import ApiToken


def manages_tokens(user) -> bool:
    return api_token_partners(user).exists()


@require(manages_tokens)
def token_list(request):
    partners = api_token_partners(request.user)
    form = TokenForm(request.POST or None, partners=partners)
    created = None
    if request.method == "POST" and form.is_valid():
        token, secret = workflows.create_token(
            request.user, form.cleaned_data["partner"], form.cleaned_data["name"], form.expires_at()
        )
        created = {"token": token, "secret": secret}
        form = TokenForm(partners=partners)
    tokens = (
        ApiToken.objects.filter(partner__in=partners)
        .select_related("partner", "created_by", "revoked_by")
        .order_by("revoked_at", "partner__acronym", "-created_at", "-id")
    )
    response = render(request, "api/tokens.html", {
        "form": form, "tokens": tokens, "created": created, "many_partners": partners.count() > 1,
    })
    # The page may carry a secret: never keep it in any cache.
    add_never_cache_headers(response)
    return response


@require(manages_tokens)
@require_POST
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken.objects.select_related("partner"), pk=pk)
    if not can_manage_api_tokens(request.user, token.partner):
        raise Http404
    workflows.revoke_token(request.user, token)
    messages.success(request, _("The token “%(name)s” is revoked. It stopped working at once.") % {"name": token.name})
    return redirect("api_tokens:list")
