"""Helpers shared by the write paths: who hears about a session, links."""

from django.urls import reverse

from weerbaar.constants import Role
from weerbaar.models import Membership, User

from ..constants import RegistrationStatus


def session_link(session):
    return reverse("otwb:session_detail", args=[session.pk])


def traject_link(traject):
    return reverse("otwb:traject_detail", args=[traject.pk])


def coordinators():
    return list(
        User.objects.filter(
            pk__in=Membership.objects.active().filter(role=Role.OTWB_COORDINATOR).values("user")
        )
    )


def griffiers_of(organisation_ids):
    return list(
        User.objects.filter(
            pk__in=Membership.objects.active()
            .filter(role=Role.GRIFFIER, organisation__in=organisation_ids)
            .values("user")
        )
    )


def trainer_users(session):
    return list(
        User.objects.filter(
            otwb_trainer__assignments__session=session, otwb_trainer__assignments__active=True
        ).distinct()
    )


def participant_users(session):
    """The people with an account who take part: griffiers of the session's organisations
    and whoever registered a placed driehoek. The driehoek members themselves are named on
    the registration and reached by the griffier."""
    org_ids = list(session.organisations.values_list("pk", flat=True))
    users = {u.pk: u for u in griffiers_of(org_ids)}
    for user in User.objects.filter(
        pk__in=session.registrations.filter(status=RegistrationStatus.CONFIRMED).values(
            "registered_by"
        )
    ):
        users[user.pk] = user
    return list(users.values())
