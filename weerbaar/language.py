"""The interface language is the user's own choice, never the browser's: Dutch until they
pick another with the language switch. The choice is remembered in a long-lived cookie (it
outlives logging out and in again) and, for a signed-in user, on their account: signing in
on a device without the cookie brings the account's language along, and what the portal
sends them is worded in it (``weerbaar.notifications``)."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.views.i18n import set_language as django_set_language

__all__ = [
    "ChosenLanguageMiddleware",
    "chosen_language",
    "remember_account_language",
    "set_language",
]

# The signed-in account's language, put in the session at login: this middleware runs
# before the user is read, and a page must not cost a query for it.
SESSION_LANGUAGE = "weerbaar_language"


def _supported(code):
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return None


def _account_language(request):
    """The signed-in account's language kept in the session (none without a session: an
    anonymous page does not open one for this)."""
    session = getattr(request, "session", None)
    if session is None or not (session.modified or settings.SESSION_COOKIE_NAME in request.COOKIES):
        return None
    return _supported(session.get(SESSION_LANGUAGE))


def chosen_language(request):
    """The language of the switch's cookie if it is one we offer, else the signed-in
    account's choice, else Dutch; the browser's Accept-Language is ignored."""
    cookie = _supported(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if cookie:
        return cookie
    return _account_language(request) or settings.LANGUAGE_CODE


def _set_cookie(response, code):
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def remember_account_language(request, user):
    """At login: the account's language goes with this session; a device without a choice
    of its own gets it as its cookie with the next response (``ChosenLanguageMiddleware``),
    so the login page after logging out keeps it too."""
    code = _supported(user.language)
    if code is not None and hasattr(request, "session"):
        request.session[SESSION_LANGUAGE] = code


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The page depends on the cookie, not on Accept-Language (no i18n URL patterns here).
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        name = settings.LANGUAGE_COOKIE_NAME
        if name not in response.cookies and not _supported(request.COOKIES.get(name)):
            code = _account_language(request)
            if code:
                _set_cookie(response, code)
        return response


def set_language(request):
    """Django's language switch (the cookie), and for a signed-in user the account's
    language too, so that it follows them to other devices."""
    response = django_set_language(request)
    code = _supported(request.POST.get("language")) if request.method == "POST" else None
    user = getattr(request, "user", None)
    if code and user is not None and user.is_authenticated:
        if user.language != code:
            user.language = code
            user.save(update_fields=["language"])
        request.session[SESSION_LANGUAGE] = code
    return response
