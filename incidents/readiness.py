"""Whether an organisation is ready for real use (issue 19 §3), for all of them at once.

An organisation is ready when (1) its domicile for an aangifte is set (the profile), (2) every
position's route of its protocol reaches at least one person in force without falling back
to the OTWB, (3) it has published its "Bij wie meldt u?" text, and (4) its griffier,
secretaris and voorzitter (the roles that receive and escalate; a waterschap has no
griffier) have accounts. The routes are judged by the same resolution that decides who
receives a melding (``routing.Recipients``), fed from one grouped query, so the national
page costs the same few queries for 3 organisations or 375.

A burgemeester's melding goes to the province (the Commissaris van de Koning) and the OTWB,
not to the gemeente: that route is the province's readiness, not the gemeente's.
"""

from dataclasses import dataclass
from types import SimpleNamespace
from typing import NamedTuple

from django.core.cache import cache
from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext as _

from weerbaar import profiles
from weerbaar.constants import ROLES_ABSENT_BY_KIND, OrganisationKind, Role, role_title
from weerbaar.models import Membership, Organisation

from . import protocol, routing

__all__ = [
    "CACHE_SECONDS",
    "KINDS",
    "Item",
    "OrganisationLine",
    "Readiness",
    "compute",
    "forget",
    "national",
    "of_organisations",
    "organisations",
    "version",
]

# How long the national page's computed rows are kept; a change of a profile, a protocol or
# a membership forgets them at once, this bounds what no signal sees (a membership running
# out at midnight, bulk loads).
CACHE_SECONDS = 60
_VERSION_KEY = "incidents:readiness:version"

KINDS = (OrganisationKind.GEMEENTE, OrganisationKind.PROVINCIE, OrganisationKind.WATERSCHAP)
LOCAL_ROLES = (Role.GRIFFIER, Role.SECRETARIS, Role.VOORZITTER)
ADDRESS, ROUTES, TEXT, ACCOUNTS = "address", "routes", "text", "accounts"
# Only what the checks read: the profile's encrypted contacts and logo stay unread.
_COLUMNS = (
    "kind",
    "code",
    "name",
    "province__name",
    "province__kind",
    "profile__visit_street",
    "profile__visit_postcode",
    "profile__visit_place",
    "local_protocol__text_nl",
)


class _Account(NamedTuple):
    """A person in force, as routing compares them (by ``pk``)."""

    pk: int


@dataclass(frozen=True)
class Item:
    """One line of the checklist: done or not, what is missing (a short Dutch phrase), and
    the page where it is done."""

    key: str
    label: str
    done: bool
    gap: str
    url: str


@dataclass(frozen=True)
class Readiness:
    organisation: Organisation
    items: tuple
    counts: tuple  # (label, number of people in force) per position and role

    @property
    def ready(self):
        return all(item.done for item in self.items)

    @property
    def gaps(self):
        return [item for item in self.items if not item.done]


def organisations():
    """The organisations readiness is about (not the national bodies), with only the
    columns the checks read, in one query."""
    return (
        Organisation.objects.filter(kind__in=KINDS, is_active=True)
        .select_related("province", "profile", "local_protocol")
        .only(*_COLUMNS)
        .order_by("name", "pk")
    )


class _Urls:
    """The links of a line, reversed once for the whole page."""

    def __init__(self):
        self._profile = reverse("organisation_profile_of", args=["CODE"])
        self._protocol = reverse("incidents:protocol_routes", args=[987654321])
        self.roles = reverse("membership_requests")

    def profile(self, organisation):
        return self._profile.replace("CODE", organisation.code)

    def protocol(self, organisation):
        return self._protocol.replace("987654321", str(organisation.pk))


def _memberships(ids):
    """People in force per (organisation, role, position): a count, and for the roles that
    receive meldingen their ids (two queries, on PostgreSQL and on SQLite alike)."""
    in_force = Membership.objects.active().filter(organisation_id__in=ids)
    rows = (
        in_force.values("organisation_id", "role", "position")
        .annotate(n=Count("user_id", distinct=True))
        .order_by()
    )
    counts, holders = {}, {}
    for row in rows:
        org, role = row["organisation_id"], row["role"]
        key = row["position"] if role == Role.OFFICE_HOLDER else role
        counts[(org, key)] = counts.get((org, key), 0) + row["n"]
    receivers = (
        in_force.filter(role__in=LOCAL_ROLES)
        .values_list("organisation_id", "role", "user_id")
        .distinct()
        .order_by()
    )
    for org, role, user_id in receivers:
        holders.setdefault((org, role), []).append(_Account(user_id))
    return counts, holders


def _unreached(organisation, recipients, choices):
    """The labels of the positions whose melding would reach nobody of the organisation."""
    unreached = []
    for key in protocol.positions_of(organisation.kind):
        reporter = SimpleNamespace(
            role=Role.CIVIL_SERVANT if key == protocol.CIVIL_SERVANT else Role.OFFICE_HOLDER,
            position="" if key == protocol.CIVIL_SERVANT else key,
            organisation=organisation,
        )
        decided = routing.decide(reporter)
        if decided.organisation is None or decided.organisation.pk != organisation.pk:
            continue  # the burgemeester's: the province receives it
        snap = protocol.snapshot(decided, key, choices.get(key))
        target = routing.Target.for_routing(decided, reporter_id=None, protocol=snap)
        resolution = recipients.resolve(target)
        reached = any(receiver != routing.OTWB for _user, receiver in resolution.entries)
        if resolution.fallback == routing.OTWB or not reached:
            unreached.append(str(protocol.position_label(key)))
    return unreached


class _Labels:
    """The texts of one organisation kind, translated once per ``compute`` instead of once per
    organisation (375 organisations made 50 000 gettext calls, half the page's time)."""

    def __init__(self):
        self._kinds = {}

    def __call__(self, kind):
        if kind not in self._kinds:
            absent = ROLES_ABSENT_BY_KIND.get(kind, frozenset())
            roles = [r for r in LOCAL_ROLES if r not in absent]
            titles = {r: str(role_title(r, kind)) for r in roles}
            positions = [(k, str(protocol.position_label(k))) for k in protocol.positions_of(kind)]
            self._kinds[kind] = SimpleNamespace(
                roles=roles,
                titles=titles,
                count_keys=[*titles.items(), *positions],
                address=str(_("Adres voor aangifte (domicilie) ingevuld")),
                address_missing=str(_("adres ontbreekt")),
                routes=str(_("Elke melding bereikt iemand van de organisatie")),
                text=str(_("Tekst “Bij wie meldt u?” gepubliceerd")),
                text_missing=str(_("geen protocoltekst")),
                accounts=str(
                    _("%(roles)s hebben een account") % {"roles": ", ".join(titles.values())}
                ),
            )
        return self._kinds[kind]


def _items(organisation, *, urls, unreached, counts, labels):
    texts = labels(organisation.kind)
    without = [texts.titles[r].lower() for r in texts.roles if not counts.get((organisation.pk, r))]
    local = getattr(organisation, "local_protocol", None)
    text = bool(local and local.text_nl.strip())
    return (
        Item(
            ADDRESS,
            texts.address,
            profiles.has_domicile(organisation),
            texts.address_missing,
            urls.profile(organisation),
        ),
        Item(
            ROUTES,
            texts.routes,
            not unreached,
            _("geen ontvanger voor: %(positions)s") % {"positions": ", ".join(unreached)}
            if unreached
            else "",
            urls.protocol(organisation),
        ),
        Item(TEXT, texts.text, text, texts.text_missing, urls.protocol(organisation)),
        Item(
            ACCOUNTS,
            texts.accounts,
            not without,
            _("geen account: %(roles)s") % {"roles": ", ".join(without)} if without else "",
            urls.roles,
        ),
    )


def _counts_of(organisation, counts, labels):
    return tuple(
        (label, counts.get((organisation.pk, key), 0))
        for key, label in labels(organisation.kind).count_keys
    )


def compute(queryset=None):
    """The readiness of every organisation of ``queryset`` (default: ``organisations()``),
    in its order. The same few queries whatever their number: the organisations with their
    profiles and protocol texts, the protocols' routes, and the memberships in force (counted,
    and the receivers)."""
    orgs = list(organisations() if queryset is None else queryset)
    ids = [o.pk for o in orgs]
    choices = protocol.choices_for(ids) if ids else {}
    counts, holders = _memberships(ids) if ids else ({}, {})
    recipients = routing.Recipients.from_holders(holders, organisation_ids=ids)
    urls = _Urls()
    labels = _Labels()
    result = []
    for org in orgs:
        unreached = _unreached(org, recipients, choices.get(org.pk, {}))
        items = _items(org, urls=urls, unreached=unreached, counts=counts, labels=labels)
        result.append(Readiness(org, items, _counts_of(org, counts, labels)))
    return result


@dataclass(frozen=True)
class OrganisationLine:
    """What a line of the national page shows of an organisation: public facts only (no
    profile with its encrypted contacts), so the rows can be kept in the cache."""

    pk: int
    code: str
    name: str
    kind: str
    province_id: int | None
    province_name: str
    label: str

    def __str__(self):
        return self.label


def _line(row):
    org = row.organisation
    return Readiness(
        OrganisationLine(
            pk=org.pk,
            code=org.code,
            name=org.name,
            kind=org.kind,
            province_id=org.province_id,
            province_name=org.province.name if org.province_id else "",
            label=str(org),
        ),
        row.items,
        row.counts,
    )


def national(*, language):
    """Every organisation's readiness for the national page, in ``language``: computed once
    and kept for ``CACHE_SECONDS``, or until ``forget``. Computing it for 375 organisations
    costs ~75 ms of routing in Python; the page is read far more often than any of its
    inputs changes."""
    key = f"incidents:readiness:{version()}:{language}"
    rows = cache.get(key)
    if rows is None:
        rows = [_line(row) for row in compute()]
        cache.set(key, rows, CACHE_SECONDS)
    return rows


def of_organisations(ids, *, language):
    """The readiness of the organisations ``ids`` for the start page's checklist, in the order
    of ``organisations()``: kept per organisation as the national page keeps its rows (the
    same version, so the same changes forget them). A griffier's start page ran four
    queries and ran the routing for their organisation on every view; the inputs change
    far less often than the page is opened."""
    current = version()
    keys = {pk: f"incidents:readiness:{current}:{language}:org:{pk}" for pk in ids}
    found = cache.get_many(keys.values())
    rows = [found[key] for key in keys.values() if key in found]
    missing = [pk for pk, key in keys.items() if key not in found]
    if missing:
        fresh = [_line(row) for row in compute(organisations().filter(pk__in=missing))]
        cache.set_many({keys[row.organisation.pk]: row for row in fresh}, CACHE_SECONDS)
        rows += fresh
    return sorted(rows, key=lambda row: (row.organisation.name, row.organisation.pk))


def version():
    """Changes whenever ``forget`` is called: part of every cache key of the national page."""
    return cache.get(_VERSION_KEY, 0)


def forget(**_signal):
    """A profile, protocol or membership changed: the next page computes afresh."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:  # not set yet (or expired): any new value forgets the old rows
        cache.set(_VERSION_KEY, 1, None)
