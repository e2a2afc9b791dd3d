"""Demo accounts for trying the portal (``manage.py seed_demo``). Never in production."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.hashers import make_password

from . import memberships as grant
from .constants import Position, Role, position_title, role_title
from .models import Organisation, User

DEMO_PASSWORD = "Weerbaar-demo-2026"
# Base32 secret of every staff demo account's authenticator:
#   oathtool --totp -b WEERBAARDEMOTOTPWEERBAARDEMOTOTP
DEMO_TOTP_SECRET = "WEERBAARDEMOTOTPWEERBAARDEMOTOTP"

UTRECHT, GRONINGEN = "GM0344", "GM0014"
PROV_UTRECHT = "PV26"
WATERSCHAP = "WS0636"

# email, name, [(organisation code, role, position)]
ACCOUNTS = [
    ("raadslid@utrecht.demo", "Rosa Raadslid", [(UTRECHT, Role.OFFICE_HOLDER, Position.RAADSLID)]),
    (
        "wethouder@utrecht.demo",
        "Willem Wethouder",
        [(UTRECHT, Role.OFFICE_HOLDER, Position.WETHOUDER)],
    ),
    (
        "burgemeester@utrecht.demo",
        "Bea Burgemeester",
        [(UTRECHT, Role.OFFICE_HOLDER, Position.BURGEMEESTER), (UTRECHT, Role.VOORZITTER, "")],
    ),
    ("ambtenaar@utrecht.demo", "Amir Ambtenaar", [(UTRECHT, Role.CIVIL_SERVANT, "")]),
    ("kandidaat@utrecht.demo", "Karim Kandidaat", [(UTRECHT, Role.CANDIDATE, Position.RAADSLID)]),
    (
        "oud-raadslid@utrecht.demo",
        "Olga Oud-raadslid",
        [(UTRECHT, Role.FORMER_OFFICE_HOLDER, Position.RAADSLID)],
    ),
    ("griffier@utrecht.demo", "Greet Griffier", [(UTRECHT, Role.GRIFFIER, "")]),
    ("secretaris@utrecht.demo", "Sander Secretaris", [(UTRECHT, Role.SECRETARIS, "")]),
    (
        "raadslid@groningen.demo",
        "Gerrit Raadslid",
        [(GRONINGEN, Role.OFFICE_HOLDER, Position.RAADSLID)],
    ),
    (
        "wethouder@groningen.demo",
        "Wendy Wethouder",
        [(GRONINGEN, Role.OFFICE_HOLDER, Position.WETHOUDER)],
    ),
    (
        "burgemeester@groningen.demo",
        "Bart Burgemeester",
        [(GRONINGEN, Role.OFFICE_HOLDER, Position.BURGEMEESTER), (GRONINGEN, Role.VOORZITTER, "")],
    ),
    ("griffier@groningen.demo", "Gonny Griffier", [(GRONINGEN, Role.GRIFFIER, "")]),
    ("secretaris@groningen.demo", "Sietse Secretaris", [(GRONINGEN, Role.SECRETARIS, "")]),
    (
        "statenlid@provincie-utrecht.demo",
        "Stijn Statenlid",
        [(PROV_UTRECHT, Role.OFFICE_HOLDER, Position.STATENLID)],
    ),
    (
        "gedeputeerde@provincie-utrecht.demo",
        "Gea Gedeputeerde",
        [(PROV_UTRECHT, Role.OFFICE_HOLDER, Position.GEDEPUTEERDE)],
    ),
    (
        "cdk@provincie-utrecht.demo",
        "Coen Commissaris",
        [(PROV_UTRECHT, Role.OFFICE_HOLDER, Position.CDK), (PROV_UTRECHT, Role.VOORZITTER, "")],
    ),
    ("griffier@provincie-utrecht.demo", "Gijs Statengriffier", [(PROV_UTRECHT, Role.GRIFFIER, "")]),
    (
        "secretaris@provincie-utrecht.demo",
        "Saskia Provinciesecretaris",
        [(PROV_UTRECHT, Role.SECRETARIS, "")],
    ),
    (
        "dijkgraaf@waterschap.demo",
        "Dirk Dijkgraaf",
        [(WATERSCHAP, Role.OFFICE_HOLDER, Position.DIJKGRAAF), (WATERSCHAP, Role.VOORZITTER, "")],
    ),
    ("ablid@waterschap.demo", "Anouk AB-lid", [(WATERSCHAP, Role.OFFICE_HOLDER, Position.AB_LID)]),
    ("secretaris@waterschap.demo", "Sem Secretaris-directeur", [(WATERSCHAP, Role.SECRETARIS, "")]),
    (
        "vertrouwenspersoon@otwb.demo",
        "Vera Vertrouwenspersoon",
        [("OTWB", Role.VERTROUWENSPERSOON, "")],
    ),
    ("coordinator@otwb.demo", "Cor Coördinator", [("OTWB", Role.OTWB_COORDINATOR, "")]),
    ("intake@bzk.demo", "Ingrid Intake", [("BZK", Role.VW_INTAKE, "")]),
    ("adviseur@ccv.demo", "Arjen Adviseur", [("CCV", Role.SECURITY_ADVISER, "")]),
    ("bva@bzk.demo", "Bram BVA", [("BZK", Role.BVA, "")]),
    ("analist@bzk.demo", "Anna Analist", [("BZK", Role.ANALYST, "")]),
    (
        "beheer@weerbaar.demo",
        "Femke Functioneel beheerder",
        [("BZK", Role.FUNCTIONEEL_BEHEERDER, "")],
    ),
    # The second pair of eyes for what one beheerder asks (a national body's API client).
    (
        "beheer2@weerbaar.demo",
        "Bas Tweede beheerder",
        [("BZK", Role.FUNCTIONEEL_BEHEERDER, "")],
    ),
]


def seed_accounts():
    """Create (or reset) every demo account; returns [(email, labels, needs_totp)]."""
    orgs = {
        o.code: o
        for o in Organisation.objects.filter(
            code__in={c for _, _, ms in ACCOUNTS for c, _, _ in ms}
        )
    }
    result = []
    # One hash for every account: they share the password anyway, and hashing it 25 times
    # (PBKDF2, a quarter of a second each) was most of the time make run took to start.
    password = make_password(DEMO_PASSWORD)
    for email, name, memberships in ACCOUNTS:
        user, _ = User.objects.get_or_create(email=email, defaults={"full_name": name})
        user.full_name = name
        user.password = password
        user.is_staff = user.is_superuser = any(
            r == Role.FUNCTIONEEL_BEHEERDER for _, r, _ in memberships
        )
        user.save()
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        for code, role, position in memberships:
            grant.seed(
                user=user, organisation=orgs[code], role=role, position=position, source="demo"
            )
        user.__dict__.pop("active_memberships", None)
        if user.requires_mfa and not Authenticator.objects.filter(user=user, type="totp").exists():
            TOTP.activate(user, DEMO_TOTP_SECRET)
        labels = ", ".join(
            f"{position_title(r, p) if p else role_title(r, orgs[c].kind)} ({orgs[c].name})"
            for c, r, p in memberships
        )
        result.append((email, labels, user.requires_mfa))
    return result
