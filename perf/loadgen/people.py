"""Users and memberships: the office holders of every position in every gemeente,
provincie and waterschap, a griffier and a secretaris per organisation, the chair as
voorzitter, civil servants, and the national roles. About 11 000 people at scale 1.

A person is identified by an email address under ``@load.example`` derived from their
seat (``raadslid12.gm0344@load.example``), which makes seeding idempotent per person.
Passwords are unusable: the benchmark logs in with ``force_login`` or a stored session.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone

from weerbaar import memberships as grant
from weerbaar.constants import OrganisationKind, Position, Role
from weerbaar.models import Membership, User

from .common import BATCH, EMAIL_DOMAIN, row_rng

__all__ = ["Directory", "directory", "seed_people"]

FIRST = [
    "Anne",
    "Bas",
    "Carla",
    "Daan",
    "Eva",
    "Fleur",
    "Gerrit",
    "Hanna",
    "Ilse",
    "Jan",
    "Kees",
    "Lotte",
    "Mark",
    "Noor",
    "Olga",
    "Pieter",
    "Quinten",
    "Roos",
    "Sanne",
    "Thijs",
    "Ulla",
    "Vera",
    "Wim",
    "Yara",
    "Zeynep",
    "Ahmed",
    "Fatima",
    "Mohamed",
    "Sofie",
    "Lars",
]
LAST = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "Yilmaz",
    "El Amrani",
    "Kok",
    "Jacobs",
    "Vermeulen",
]

# (tag, role, position, structural count, scaled count as f(size factor)); the chair
# also holds the voorzitter membership.
SEATS = {
    OrganisationKind.GEMEENTE: [
        ("griffier", Role.GRIFFIER, "", 1, None),
        ("secretaris", Role.SECRETARIS, "", 1, None),
        ("burgemeester", Role.OFFICE_HOLDER, Position.BURGEMEESTER, 1, None),
        ("wethouder", Role.OFFICE_HOLDER, Position.WETHOUDER, 0, lambda f: 2 + 5 * f),
        ("raadslid", Role.OFFICE_HOLDER, Position.RAADSLID, 0, lambda f: 11 + 38 * f),
        ("ambtenaar", Role.CIVIL_SERVANT, "", 0, lambda f: 2 + 8 * f),
    ],
    OrganisationKind.PROVINCIE: [
        ("griffier", Role.GRIFFIER, "", 1, None),
        ("secretaris", Role.SECRETARIS, "", 1, None),
        ("cdk", Role.OFFICE_HOLDER, Position.CDK, 1, None),
        ("gedeputeerde", Role.OFFICE_HOLDER, Position.GEDEPUTEERDE, 0, lambda f: 5 + 2 * f),
        ("statenlid", Role.OFFICE_HOLDER, Position.STATENLID, 0, lambda f: 39 + 16 * f),
        ("ambtenaar", Role.CIVIL_SERVANT, "", 0, lambda f: 3),
    ],
    OrganisationKind.WATERSCHAP: [
        ("griffier", Role.GRIFFIER, "", 1, None),
        ("secretaris", Role.SECRETARIS, "", 1, None),
        ("dijkgraaf", Role.OFFICE_HOLDER, Position.DIJKGRAAF, 1, None),
        ("dblid", Role.OFFICE_HOLDER, Position.DIJKGRAAF, 0, lambda f: 4),
        ("ablid", Role.OFFICE_HOLDER, Position.AB_LID, 0, lambda f: 18 + 12 * f),
        ("ambtenaar", Role.CIVIL_SERVANT, "", 0, lambda f: 2),
    ],
}
CHAIRS = {"burgemeester", "cdk", "dijkgraaf"}

# (organisation code, tag, role, count at scale 1, minimum at any scale)
NATIONAL = [
    ("BZK", "intake", Role.VW_INTAKE, 10, 2),
    ("BZK", "bva", Role.BVA, 5, 2),
    ("BZK", "analist", Role.ANALYST, 3, 1),
    ("BZK", "beheer", Role.FUNCTIONEEL_BEHEERDER, 2, 1),
    ("CCV", "adviseur", Role.SECURITY_ADVISER, 20, 2),
    ("OTWB", "vertrouwenspersoon", Role.VERTROUWENSPERSOON, 30, 2),
    ("OTWB", "coordinator", Role.OTWB_COORDINATOR, 3, 1),
]


def _seats(plan):
    """Every seat at this scale: (email, organisation, [(role, position)])."""
    seats = []
    for org in plan.organisations:
        f = plan.size_factor(org)
        for tag, role, position, fixed, scaled in SEATS[org.kind]:
            n = fixed if scaled is None else plan.count(scaled(f))
            for k in range(1, n + 1):
                roles = [(role, position)]
                if tag in CHAIRS:
                    roles.append((Role.VOORZITTER, ""))
                seats.append((f"{tag}{k}.{org.code.lower()}@{EMAIL_DOMAIN}", org, roles))
    for code, tag, role, n, minimum in NATIONAL:
        org = plan.national(code)
        for k in range(1, max(minimum, plan.count(n)) + 1):
            seats.append((f"{tag}{k}@{EMAIL_DOMAIN}", org, [(role, "")]))
    return seats


def seed_people(plan):
    seats = _seats(plan)
    existing = set(
        User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}").values_list("email", flat=True)
    )
    missing = [s for s in seats if s[0] not in existing]
    for start in range(0, len(missing), BATCH):
        chunk = missing[start : start + BATCH]
        users = []
        for email, _org, _roles in chunk:
            rng = row_rng(plan.seed, "user", email)
            users.append(
                User(
                    email=email,
                    full_name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                    password=f"!load{rng.getrandbits(64):x}",
                    phone=f"06-{rng.randrange(10**8):08d}" if rng.random() < 0.3 else "",
                    date_joined=plan.now - timezone.timedelta(days=rng.randrange(30, 2000)),
                )
            )
        User.objects.bulk_create(users, batch_size=BATCH)
        ids = dict(User.objects.filter(email__in=[s[0] for s in chunk]).values_list("email", "pk"))
        memberships = []
        for email, org, roles in chunk:
            rng = row_rng(plan.seed, "membership", email)
            since = plan.now - timezone.timedelta(days=rng.randrange(30, 2000))
            for role, position in roles:
                memberships.append(
                    Membership(
                        user_id=ids[email],
                        organisation=org,
                        role=role,
                        position=position,
                        valid_from=since,
                    )
                )
        grant.seed_many(memberships, source="seed_load", batch_size=BATCH)
        plan.log(f"  people: {start + len(chunk)}/{len(missing)} new")
    return len(missing)


@dataclass
class Directory:
    """Who holds which seat, as ids: what the other generators draw people from."""

    reporters: dict = field(
        default_factory=lambda: defaultdict(list)
    )  # org id → [(uid, role, pos)]
    by_role: dict = field(default_factory=lambda: defaultdict(dict))  # role → {org id: uid}
    national: dict = field(default_factory=lambda: defaultdict(list))  # role → [uid]
    eligible_vw: list = field(default_factory=list)  # [(uid, org id, position)]


def directory():
    from veiligwonen.constants import ELIGIBLE_POSITIONS

    d = Directory()
    rows = (
        Membership.objects.filter(user__email__endswith=f"@{EMAIL_DOMAIN}")
        .order_by("pk")
        .values_list("user_id", "organisation_id", "role", "position", "organisation__kind")
    )
    for uid, org_id, role, position, kind in rows:
        if kind == OrganisationKind.NATIONAL:
            d.national[role].append(uid)
        elif role in (Role.OFFICE_HOLDER, Role.CIVIL_SERVANT):
            d.reporters[org_id].append((uid, role, position))
            if position in ELIGIBLE_POSITIONS:
                d.eligible_vw.append((uid, org_id, position))
        else:
            d.by_role[role].setdefault(org_id, uid)
    return d
