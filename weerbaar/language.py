"""The interface language is the user's own choice, never the browser's: Dutch until they
pick another with the language switch, which is remembered in a long-lived cookie (it
outlives logging out and in again)."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation

__all__ = ["ChosenLanguageMiddleware", "chosen_language"]


def chosen_language(request):
    """The language of the switch's cookie if it is one we offer, else Dutch; the
    browser's Accept-Language is ignored."""
    code = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if code:
        try:
            return translation.get_supported_language_variant(code)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        # The page depends on the cookie, not on Accept-Language (no i18n URL patterns here).
        response.headers.setdefault("Content-Language", request.LANGUAGE_CODE)
        return response
