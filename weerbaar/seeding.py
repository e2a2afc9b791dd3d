"""Made-up data and real data: the seeders (``seed_demo``, and ``seed_load`` of the
performance tools) refuse a database that holds real data unless told otherwise.

Every record of the portal is made by or for a person with an account, and the seeders'
people have addresses no real person has: the load data's ``…@load.example`` (a domain
reserved for examples), the made-up people of the demo history ``…@voorbeeld.invalid`` (a
domain that can never exist), and the demo accounts of ``weerbaar.demo`` (``….demo``, a
name that is no top-level domain). A database in use always has an account beside those:
the functioneel beheerder made by ``bootstrap_beheerder``, the people who file and triage.
So "real data" is: any account whose e-mail address no seeder makes. That holds also for a
database whose meldingen were later anonymised (their triagers' accounts remain) and needs
no marker on every row."""

from django.core.management.base import CommandError
from django.db.models import Q

from .demo import ACCOUNTS
from .demo_people import DOMAIN as DEMO_PEOPLE_DOMAIN
from .models import User

__all__ = ["ALLOW_FLAG", "LOAD_EMAIL_DOMAIN", "real_accounts", "refuse_real_data"]

LOAD_EMAIL_DOMAIN = "load.example"
CLIENT_ACCOUNT_DOMAIN = "koppeling.invalid"
ALLOW_FLAG = "--allow-real-data"
ALLOW_HELP = (
    "Seed also when the database holds real data: accounts whose e-mail address no seeder "
    "makes (seeders make …@load.example, …@voorbeeld.invalid and the demo accounts). "
    "Without it the command refuses such a database and changes nothing."
)


def _seeded():
    return (
        Q(email__iendswith=f"@{LOAD_EMAIL_DOMAIN}")
        | Q(email__iendswith=f"@{DEMO_PEOPLE_DOMAIN}")
        | Q(email__in=[email for email, _name, _roles in ACCOUNTS])
        # The account behind an API client (``…@koppeling.invalid``) is not a person: a real
        # client is always requested and approved by people, whose accounts count.
        | Q(email__iendswith=f"@{CLIENT_ACCOUNT_DOMAIN}")
    )


def real_accounts():
    """How many accounts no seeder made."""
    return User.objects.exclude(_seeded()).count()


def refuse_real_data(command, *, allowed):
    """Raise a CommandError (Dutch and English, no addresses) when the database holds real
    data and ``allowed`` is false. Call it before the command writes anything."""
    if allowed:
        return
    n = real_accounts()
    if not n:
        return
    raise CommandError(
        f"Deze database bevat echte gegevens: {n} account(s) die geen seeder heeft "
        f"gemaakt. {command} heeft niets veranderd. Is dit zeker een test- of demodatabase, geef "
        f"dan {ALLOW_FLAG}.\n"
        f"This database holds real data: {n} account(s) that no seeder made. {command} "
        f"changed nothing. If this is certainly a test or demo database, pass {ALLOW_FLAG}."
    )
