"""Meldingen by the reporter's self-declared gender: with the position at filing, and online
or not. The gender is read through the reporter's current declaration (a LEFT JOIN on one
small table), so a removed answer or an erased account counts as "not given" at once; it is
never snapshotted onto the melding."""

from django.db.models import Case, CharField, F, Q, Value, When

from weerbaar.constants import Gender

from ..models import Dimension
from ..summary import read as summary
from . import cube
from .base import from_summary
from .meldingen import _grouped, base, position

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


def by_gender(selection, periods=None):
    """({(group, gender): meldingen}, {(group, gender): people}); with ``periods`` (a
    year's cube) every period in one statement, keyed ((period, group), gender)."""
    selection = cube.year_of(selection, periods)
    if from_summary(selection):
        return summary.cells(selection, Dimension.GENDER, periods=periods)
    qs = base(selection).annotate(gender=gender())
    return _grouped(qs, selection, "gender", periods=periods)


def by_gender_and(selection, dimension, periods=None):
    """({(group, (gender, key)): meldingen}, {...: people}) for ``dimension`` "position"
    (the position at filing, as in the position figure) or "online"; ``periods`` as in
    ``by_gender``."""
    selection = cube.year_of(selection, periods)
    if from_summary(selection):
        pair = Dimension.GENDER_POSITION if dimension == "position" else Dimension.GENDER_ONLINE
        counts, people = summary.cells(selection, pair, periods=periods)
        return (
            {(g, tuple(key.split("|", 1))): n for (g, key), n in counts.items()},
            {(g, tuple(key.split("|", 1))): n for (g, key), n in people.items()},
        )
    key = position() if dimension == "position" else online()
    qs = base(selection).annotate(gender=gender(), key=key)
    return _grouped(qs, selection, ("gender", "key"), periods=periods)
