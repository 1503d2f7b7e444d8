from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import get_language, get_language_info, override

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


def language_name(code: str) -> str:
    """A language's name in its own words, capitalized for a menu or a list ("Español", "Français")."""
    name = get_language_info(code)["name_local"]
    return name[:1].upper() + name[1:]


def languages(request):
    """This page in each interface language: for the language switcher and the hreflang links."""
    if request.method not in ("GET", "HEAD"):
        return {"interface_languages": []}
    current = get_language()
    in_language = _translator(request.get_full_path())
    links = []
    for code, _name in settings.LANGUAGES:
        info = get_language_info(code)
        links.append({
            "code": code, "name": language_name(code), "bidi": info["bidi"], "current": code == current,
            "url": in_language(code),
        })
    return {"interface_languages": links, "default_language_url": in_language(settings.LANGUAGE_CODE)}


def _translator(full_path):
    """A function giving `full_path` in a language, as django.urls.translate_url does, with the path
    resolved once for every language rather than once per language (a page lists them all)."""
    parts = urlsplit(full_path)
    try:
        match = resolve(unquote(parts.path))
    except Resolver404:
        return lambda code: full_path
    name = f"{match.namespace}:{match.url_name}" if match.namespace else match.url_name

    def in_language(code):
        with override(code):
            try:
                path = reverse(name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                return full_path
        return urlunsplit((parts.scheme, parts.netloc, path, parts.query, parts.fragment))

    return in_language
