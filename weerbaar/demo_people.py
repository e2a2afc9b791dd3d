"""The made-up people behind the demo history (``manage.py seed_demo``; never in
production): a few office holders and civil servants in two gemeenten of every province, in
every provincie and in one waterschap, so that the monitor has enough different reporters
for its cells to be published.

They cannot sign in and are never written to: no usable password, not active, no verified
address, an address under the reserved ``.invalid`` domain, and no membership (so no
term-of-office notice, no role in any routing, no place in any people list). Their name says
what they are. A melding or application keeps the office it was filed in (``reporter_role``,
``position``, ``organisation``), so the monitor counts them as it counts real reporters."""

from django.contrib.auth.hashers import make_password

from .constants import Gender, OrganisationKind, Position, Role
from .demo import GRONINGEN, UTRECHT, WATERSCHAP
from .models import GenderDeclaration, Organisation, User

__all__ = ["DOMAIN", "DemoPerson", "organisations", "seed_people"]

DOMAIN = "voorbeeld.invalid"
CIVIL_SERVANT = "ambtenaar"

# (tag, role, position, how many) per organisation; Utrecht, the demo's own gemeente, has
# more people so that its griffier's own figures are published too.
PEOPLE = {
    OrganisationKind.GEMEENTE: [
        ("raadslid", Role.OFFICE_HOLDER, Position.RAADSLID, 3),
        ("wethouder", Role.OFFICE_HOLDER, Position.WETHOUDER, 1),
        ("burgemeester", Role.OFFICE_HOLDER, Position.BURGEMEESTER, 1),
        (CIVIL_SERVANT, Role.CIVIL_SERVANT, "", 1),
    ],
    UTRECHT: [
        ("raadslid", Role.OFFICE_HOLDER, Position.RAADSLID, 6),
        ("wethouder", Role.OFFICE_HOLDER, Position.WETHOUDER, 4),
        (CIVIL_SERVANT, Role.CIVIL_SERVANT, "", 5),
    ],
    OrganisationKind.PROVINCIE: [
        ("statenlid", Role.OFFICE_HOLDER, Position.STATENLID, 2),
        ("gedeputeerde", Role.OFFICE_HOLDER, Position.GEDEPUTEERDE, 1),
        ("cdk", Role.OFFICE_HOLDER, Position.CDK, 1),
        (CIVIL_SERVANT, Role.CIVIL_SERVANT, "", 1),
    ],
    OrganisationKind.WATERSCHAP: [
        ("db-lid", Role.OFFICE_HOLDER, Position.DIJKGRAAF, 5),
        ("ab-lid", Role.OFFICE_HOLDER, Position.AB_LID, 5),
        (CIVIL_SERVANT, Role.CIVIL_SERVANT, "", 1),
    ],
}
TITLES = {"db-lid": "DB-lid", "ab-lid": "AB-lid", CIVIL_SERVANT: "Ambtenaar"}
GEMEENTEN_PER_PROVINCE = 2
# The answers the made-up people gave to the gender question, in turn (about as many women as
# men, a few who chose another answer or none), so the monitor's gender figures have data.
GENDERS = [
    Gender.VROUW,
    Gender.MAN,
    Gender.MAN,
    Gender.VROUW,
    Gender.VROUW,
    Gender.MAN,
    Gender.VROUW,
    Gender.MAN,
    Gender.ANDERS,
    Gender.NOT_SAID,
    "",
]


class DemoPerson:
    """A made-up reporter: the account and the office it reports in."""

    __slots__ = ("organisation", "position", "role", "tag", "user_id")

    def __init__(self, user_id, organisation, role, position, tag):
        self.user_id, self.organisation = user_id, organisation
        self.role, self.position, self.tag = role, position, tag


def organisations():
    """Every provincie, two gemeenten in each (Utrecht and Groningen among them, so the demo
    griffiers see their own figures) and the demo waterschap, in a fixed order."""
    chosen = []
    provinces = Organisation.objects.filter(kind=OrganisationKind.PROVINCIE).order_by("code")
    gemeenten = {}
    for org in Organisation.objects.filter(kind=OrganisationKind.GEMEENTE).order_by("code"):
        gemeenten.setdefault(org.province_id, []).append(org)
    for province in provinces:
        own = gemeenten.get(province.pk, [])
        first = [o for o in own if o.code in (UTRECHT, GRONINGEN)]
        picked = (first + [o for o in own if o not in first])[:GEMEENTEN_PER_PROVINCE]
        chosen += [province, *picked]
    chosen += list(Organisation.objects.filter(code=WATERSCHAP))
    return chosen


def _specs():
    for org in organisations():
        for tag, role, position, count in PEOPLE.get(org.code, PEOPLE[org.kind]):
            for n in range(1, count + 1):
                title = TITLES.get(tag) or Position(position).label
                yield (
                    f"{tag}{n}.{org.code.lower()}@{DOMAIN}",
                    f"{title} {n} {org.name} (demo)",
                    org,
                    role,
                    position,
                    tag,
                )


def seed_people():
    """Create the made-up people that are missing; returns every one as a DemoPerson,
    in a fixed order."""
    specs = list(_specs())
    existing = dict(User.objects.filter(email__endswith=f"@{DOMAIN}").values_list("email", "pk"))
    password = make_password(None)
    User.objects.bulk_create(
        User(email=email, full_name=name, password=password, is_active=False)
        for email, name, *_rest in specs
        if email not in existing
    )
    if len(existing) < len(specs):
        existing = dict(
            User.objects.filter(email__endswith=f"@{DOMAIN}").values_list("email", "pk")
        )
    GenderDeclaration.objects.bulk_create(
        (
            GenderDeclaration(user_id=existing[email], gender=GENDERS[n % len(GENDERS)])
            for n, (email, *_rest) in enumerate(specs)
        ),
        ignore_conflicts=True,
    )
    return [
        DemoPerson(existing[email], org, role, position, tag)
        for email, _name, org, role, position, tag in specs
    ]
