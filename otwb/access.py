"""Who sees what in the tour, as one ``Q`` per model (see ``weerbaar.access``).

The coordinator plans everything and sees everything. A griffier sees the traject, the
needs inventory and the registrations of their own organisation only. A trainer (a
vertrouwenspersoon or expert with a linked account) sees the sessions they are assigned to
and who registered for them, never a needs inventory. Regional driehoek sessions are
announced to every griffier of a gemeente so they can register.
"""

from django.db.models import Q

from weerbaar.access import EVERYTHING, NOTHING, ScopedQuerySet
from weerbaar.constants import OrganisationKind, Role

from .constants import SessionKind, SessionStatus

__all__ = [
    "RegistrationQuerySet",
    "SessionQuerySet",
    "TrainerQuerySet",
    "TrajectQuerySet",
    "is_coordinator",
]


def is_coordinator(user):
    return user.is_authenticated and user.has_role(Role.OTWB_COORDINATOR)


def _griffier_orgs(user):
    return user.organisations_with_role(Role.GRIFFIER)


class TrajectQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        if is_coordinator(user):
            return EVERYTHING
        orgs = _griffier_orgs(user)
        return Q(organisation__in=orgs) if orgs else NOTHING


class TrajectChildQuerySet(ScopedQuerySet):
    """Voorgesprekken, agreements and timeline entries follow their traject."""

    def scope_q(self, user):
        if is_coordinator(user):
            return EVERYTHING
        orgs = _griffier_orgs(user)
        return Q(traject__organisation__in=orgs) if orgs else NOTHING


class SessionQuerySet(ScopedQuerySet):
    # The OR over to-many joins can repeat rows.
    scope_repeats_rows = True

    def scope_q(self, user):
        if is_coordinator(user):
            return EVERYTHING
        q = Q(assignments__trainer__user=user, assignments__active=True)
        orgs = _griffier_orgs(user)
        if orgs:
            q |= Q(organisations__in=orgs) | Q(registrations__organisation__in=orgs)
            if any(
                m.role == Role.GRIFFIER and m.organisation.kind == OrganisationKind.GEMEENTE
                for m in user.active_memberships
            ):
                q |= Q(kind=SessionKind.DRIEHOEK) & ~Q(status=SessionStatus.CANCELLED)
        return q


class RegistrationQuerySet(ScopedQuerySet):
    scope_repeats_rows = True

    def scope_q(self, user):
        if is_coordinator(user):
            return EVERYTHING
        q = Q(session__assignments__trainer__user=user, session__assignments__active=True)
        orgs = _griffier_orgs(user)
        if orgs:
            q |= Q(organisation__in=orgs)
        return q


class TrainerQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        if is_coordinator(user):
            return EVERYTHING
        return Q(user=user)

    def active(self):
        return self.filter(is_active=True)
