"""Meldingen by the reporter's self-declared gender: with the position at filing, and online
or not. The gender is read through the reporter's current declaration (a LEFT JOIN on one
small table), so a removed answer or an erased account counts as "not given" at once; it is
never snapshotted onto the melding."""

from django.db.models import Case, CharField, Count, F, Q, Value, When

from weerbaar.constants import Gender

from ..models import Dimension
from ..summary import read as summary
from .base import from_summary, group_key, group_lookups
from .meldingen import ORG, _grouped, base, persons, position

__all__ = ["GENDERS", "NOT_GIVEN", "OFFLINE", "ONLINE", "by_gender", "by_gender_and"]

NOT_GIVEN = "onbekend"
# "Zeg ik liever niet", no answer and no account are one key: none of them says a gender,
# and keeping them apart would only make smaller cells.
GENDERS = (Gender.VROUW.value, Gender.MAN.value, Gender.ANDERS.value, NOT_GIVEN)
ONLINE, OFFLINE = "online", "offline"

_DECLARED = "reporter__declared_gender__gender"


def gender():
    return Case(
        When(
            **{f"{_DECLARED}__in": [Gender.VROUW, Gender.MAN, Gender.ANDERS]},
            then=F(_DECLARED),
        ),
        default=Value(NOT_GIVEN),
        output_field=CharField(),
    )


def online():
    """Online: reached through social media, or it happened online. Deliberately not a sum of
    the channel figure's rows, so it adds no relation to subtract with."""
    return Case(
        When(Q(channel="social") | Q(place="online"), then=Value(ONLINE)),
        default=Value(OFFLINE),
        output_field=CharField(),
    )


def by_gender(selection):
    """({(group, gender): meldingen}, {(group, gender): people})."""
    if from_summary(selection):
        return summary.cells(selection, Dimension.GENDER)
    return _grouped(base(selection).annotate(gender=gender()), selection, "gender")


def by_gender_and(selection, dimension):
    """({(group, (gender, key)): meldingen}, {...: people}) for ``dimension`` "position"
    (the position at filing, as in the position figure) or "online"."""
    if from_summary(selection):
        pair = Dimension.GENDER_POSITION if dimension == "position" else Dimension.GENDER_ONLINE
        counts, people = summary.cells(selection, pair)
        return (
            {(g, tuple(key.split("|", 1))): n for (g, key), n in counts.items()},
            {(g, tuple(key.split("|", 1))): n for (g, key), n in people.items()},
        )
    key = position() if dimension == "position" else online()
    fields = group_lookups(ORG, selection.single)
    rows = (
        base(selection)
        .annotate(gender=gender(), key=key)
        .values(*fields, "gender", "key")
        .annotate(n=Count("pk"), people=persons())
        .order_by()
    )
    counts, people = {}, {}
    for r in rows:
        cell = (group_key(r, ORG, selection.single), (r["gender"], r["key"]))
        counts[cell], people[cell] = r["n"], r["people"]
    return counts, people
