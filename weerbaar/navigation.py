"""What the start page and the navigation offer, per role. The core knows no app: each app
lists its own pieces on its AppConfig.

- ``home_sections``: :class:`Section` links. A section whose URL does not resolve is left
  out; ``nav=True`` puts it in the top navigation of its roles (the role's main tasks),
  ``account=True`` in the account menu instead of on the start page, and ``offered`` (a
  function of the active membership) leaves it out where its role alone does not decide
  (a raadslid holds the office-holder role but cannot apply for Veilig Wonen).
- ``start_panels(user, membership)``: :class:`Panel` blocks for the start page of the active
  role (``membership``), such as "what needs me now" of a griffier. Each app reads its own
  data; the panel's template shows it as ``panel``.
- ``home_notices(user)``: short notices, (title, plain text) pairs shown escaped.
- ``home_panels(user)``: (template name, object shown as ``panel``) pairs, for panels that do
  not depend on the active role, such as the readiness checklist.

The start page follows the active membership (``request.membership``, chosen in the
account menu), so a user with two roles sees one role's work at a time."""

from dataclasses import dataclass, field

from django.apps import apps
from django.urls import NoReverseMatch, reverse

__all__ = [
    "Panel",
    "Section",
    "account_sections_for",
    "nav_sections_for",
    "notices_for",
    "panels_for",
    "sections_for",
    "start_panels_for",
]


@dataclass(frozen=True)
class Section:
    url_name: str
    title: str
    description: str
    roles: frozenset = field(default_factory=frozenset)
    # In the top navigation (True: of every role in ``roles``; a set: of those roles
    # only), under ``nav_title`` when set (shorter).
    nav: object = False
    nav_title: str = ""
    # Lower comes first in the top navigation (the role's main work before its admin).
    nav_order: int = 50
    # In the account menu (sessions, two-step verification), not among the tasks.
    account: bool = False
    # ``offered(membership) -> bool``: whether this membership can use it at all.
    offered: object = None

    def url(self):
        try:
            return reverse(self.url_name)
        except NoReverseMatch:
            return None

    def in_nav_of(self, membership):
        if not self.nav or self.account or not self.is_for(membership):
            return False
        return self.nav is True or membership.role in self.nav

    def is_for(self, membership):
        if membership is None or membership.role not in self.roles:
            return False
        return self.offered is None or bool(self.offered(membership))


@dataclass(frozen=True)
class Panel:
    """A block of the start page: ``template`` shows ``panel``. Lower ``order`` comes first
    (the reporter's "Melding doen" is 0)."""

    template: str
    panel: object = None
    order: int = 50


def all_sections():
    for config in apps.get_app_configs():
        yield from getattr(config, "home_sections", ())


def _resolved(sections):
    result = []
    for section in sections:
        url = section.url()
        if url:
            result.append((section, url))
    return result


def sections_for(user, membership=None):
    """The task sections (not the account menu's) for the active ``membership``; without
    one, for every membership the user holds."""
    memberships = [membership] if membership is not None else user.active_memberships
    return _resolved(
        s for s in all_sections() if not s.account and any(s.is_for(m) for m in memberships)
    )


def nav_sections_for(membership):
    """The top navigation: the main tasks of the active role, one link per address."""
    seen, result = set(), []
    for section, url in _resolved(s for s in all_sections() if s.in_nav_of(membership)):
        if url not in seen:
            seen.add(url)
            result.append((section, url))
    return sorted(result, key=lambda pair: pair[0].nav_order)


def account_sections_for(membership):
    """The account menu's links (the same for every role that holds them)."""
    return _resolved(s for s in all_sections() if s.account and s.is_for(membership))


def start_panels_for(user, membership):
    """The apps' start-page panels for the active ``membership``, in their ``order``."""
    if membership is None:
        return []
    result = []
    for config in apps.get_app_configs():
        panels = getattr(config, "start_panels", None)
        if panels is not None:
            result.extend(panels(user, membership))
    return sorted(result, key=lambda p: p.order)


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
