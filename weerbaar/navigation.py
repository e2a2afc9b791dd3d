"""The home page's sections per role. Each app lists its own sections on its AppConfig as
``home_sections``; a section whose URL does not resolve is left out. An app may also put
short notices on the home page with ``home_notices(user)`` (a list of (title, plain text)),
so the core shows an app's text without importing the app, and panels with
``home_panels(user)`` (a list of (template name, object shown as ``panel``)) where the text
needs links, such as the readiness checklist."""

from dataclasses import dataclass, field

from django.apps import apps
from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Section:
    url_name: str
    title: str
    description: str
    roles: frozenset = field(default_factory=frozenset)

    def url(self):
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None


def all_sections():
    for config in apps.get_app_configs():
        yield from getattr(config, "home_sections", ())


def sections_for(user):
    roles = {m.role for m in user.active_memberships}
    result = []
    for section in all_sections():
        if section.roles & roles:
            url = section.url()
            if url:
                result.append((section, url))
    return result


def notices_for(user):
    """The apps' notices for ``user``: (title, plain text) pairs, shown escaped."""
    result = []
    for config in apps.get_app_configs():
        notices = getattr(config, "home_notices", None)
        if notices is not None:
            result.extend(notices(user))
    return result


def panels_for(user):
    """The apps' panels for ``user``: (template name, object the template shows as
    ``panel``)."""
    result = []
    for config in apps.get_app_configs():
        panels = getattr(config, "home_panels", None)
        if panels is not None:
            result.extend(panels(user))
    return result
