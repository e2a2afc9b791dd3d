"""Helpers shared by the write paths: who hears about a session, links."""

from django.urls import reverse

from weerbaar.constants import Role
from weerbaar.models import Membership, User

from ..constants import RegistrationStatus
from ..models import Assignment, Registration


def session_link(session):
    """The session's page; ``session`` is a session or its id."""
    return reverse("otwb:session_detail", args=[getattr(session, "pk", session)])


def traject_link(traject):
    """The traject's page; ``traject`` is a traject or its id."""
    return reverse("otwb:traject_detail", args=[getattr(traject, "pk", traject)])


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


def waiting_users(session):
    """Whoever registered a driehoek that is still on the session's waiting list."""
    return list(
        User.objects.filter(
            pk__in=session.registrations.filter(status=RegistrationStatus.WAITING).values(
                "registered_by"
            )
        )
    )


def participants_by_session(session_ids):
    """{session id: [user ids]}: ``participant_users`` of several sessions in two
    queries (the sweeps); every asked session is a key."""
    people = {pk: [] for pk in session_ids}
    griffiers = (
        Membership.objects.active()
        .filter(role=Role.GRIFFIER, organisation__otwb_sessions__in=people)
        .order_by("pk")
        .values_list("organisation__otwb_sessions", "user_id")
    )
    registrants = (
        Registration.objects.filter(session__in=people, status=RegistrationStatus.CONFIRMED)
        .order_by("pk")
        .values_list("session_id", "registered_by_id")
    )
    for session_id, user_id in [*griffiers, *registrants]:
        if user_id not in people[session_id]:
            people[session_id].append(user_id)
    return people


def trainers_by_session(session_ids):
    """{session id: [user ids]}: ``trainer_users`` of several sessions in one query."""
    people = {pk: [] for pk in session_ids}
    rows = (
        Assignment.objects.filter(session__in=people, active=True, trainer__user__isnull=False)
        .order_by("pk")
        .values_list("session_id", "trainer__user_id")
    )
    for session_id, user_id in rows:
        if user_id not in people[session_id]:
            people[session_id].append(user_id)
    return people
