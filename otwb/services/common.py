"""Helpers shared by the write paths: who hears about a session, links."""

from django.db.models.functions import Lower
from django.urls import reverse

from weerbaar.constants import Position, Role
from weerbaar.models import Membership, User

from ..constants import RegistrationStatus
from ..ical import ATTACHMENT
from ..models import Assignment, Registration

NAMED_EMAILS = ("burgemeester_email", "griffier_email", "secretaris_email")


def session_ics(session):
    """The outbox attachment of the session's .ics; ``session`` is a session or its id."""
    return f"{ATTACHMENT}:{getattr(session, 'pk', session)}"


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
    and whoever registered a placed driehoek. The driehoek members named on a registration
    are reached through ``named_by_session``."""
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


def council_members(session):
    """The raadsleden and Statenleden of the session's organisations: invited to a
    raadsbrede or Statenbrede session."""
    return list(
        User.objects.filter(
            pk__in=Membership.objects.active()
            .filter(
                role=Role.OFFICE_HOLDER,
                position__in=[Position.RAADSLID, Position.STATENLID],
                organisation__in=session.organisations.values("pk"),
            )
            .values("user")
        )
    )


def named_by_session(session_ids, statuses=(RegistrationStatus.CONFIRMED,)):
    """{session id: ([user ids], [addresses])}: the burgemeester, griffier and secretaris
    named on the sessions' registrations of ``statuses``, in two queries. A named address
    that belongs to an active account is reached through the account (inbox too); the
    others by email only."""
    people = {pk: ([], []) for pk in session_ids}
    rows = (
        Registration.objects.filter(session__in=people, status__in=statuses)
        .order_by("pk")
        .values_list("session_id", *NAMED_EMAILS)
    )
    by_session = [(row[0], row[1:]) for row in rows]
    accounts = _accounts([a for _pk, found in by_session for a in found])
    for session_id, found in by_session:
        _reach(people[session_id], found, accounts)
    return people


def named_people(registration):
    """([user ids], [addresses]) of the three people named on one registration."""
    found = [getattr(registration, f) for f in NAMED_EMAILS]
    return _reach(([], []), found, _accounts(found))


def _accounts(addresses):
    """{lower-case address: user id} of the active accounts among ``addresses``."""
    return dict(
        User.objects.annotate(address=Lower("email"))
        .filter(address__in={a.strip().lower() for a in addresses}, is_active=True)
        .values_list("address", "pk")
    )


def _reach(people, addresses, accounts):
    user_ids, emails = people
    for address in (a.strip().lower() for a in addresses):
        if not address:
            continue
        if address in accounts:
            if accounts[address] not in user_ids:
                user_ids.append(accounts[address])
        elif address not in emails:
            emails.append(address)
    return people
