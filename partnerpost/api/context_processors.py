from partnerpost.network.permissions import api_token_partners


def api_tokens(request):
    """Whether to offer the API tokens page: the person manages some partner's tokens."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"user_manages_api_tokens": False}
    # A callable: templates call it only where they ask, so other pages pay no query.
    return {"user_manages_api_tokens": lambda: api_token_partners(user).exists()}
