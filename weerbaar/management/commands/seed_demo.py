import importlib

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from weerbaar.demo import DEMO_PASSWORD, DEMO_TOTP_SECRET, seed_accounts
from weerbaar.demo_people import seed_people
from weerbaar.seeding import ALLOW_FLAG, ALLOW_HELP, refuse_real_data


class Command(BaseCommand):
    help = (
        "Create the demo accounts and demo data (idempotent). Only in DEBUG or DEMO_MODE, "
        f"and not on a database with real data unless {ALLOW_FLAG} is given: the demo "
        "accounts have a published password."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--without-history",
            action="store_true",
            help="Only the demo accounts and their own cases, not the past year of made-up "
            "people (quicker; the monitor and coverage page then show few figures).",
        )
        parser.add_argument(ALLOW_FLAG, action="store_true", help=ALLOW_HELP)

    def handle(self, *args, **options):
        if not (settings.DEBUG or settings.DEMO_MODE):
            raise CommandError("Demo data is only for DEBUG or DEMO_MODE; refusing to seed.")
        refuse_real_data("seed_demo", allowed=options["allow_real_data"])
        call_command("load_organisations", stdout=self.stdout)
        with transaction.atomic():
            accounts = seed_accounts()
            modules = list(self._demo_modules())
            # Each app may add demo data of its own in <app>/demo.py: seed_demo() for the
            # demo accounts' cases, then seed_history(people) for the past year of made-up
            # people, which the monitor and the coverage page count.
            for module in modules:
                if hasattr(module, "seed_demo"):
                    module.seed_demo()
            added = []
            if not options["without_history"]:
                people = seed_people()
                added = [
                    f"{n} {module.HISTORY}"
                    for module in modules
                    if hasattr(module, "seed_history") and (n := module.seed_history(people))
                ]
        if not options["without_history"]:
            added = ", ".join(added)
            self.stdout.write(f"Demogeschiedenis: {added or 'al aanwezig'}")
        self.stdout.write("")
        self.stdout.write(f"Demo-accounts (wachtwoord voor allemaal: {DEMO_PASSWORD})")
        for email, labels, totp in accounts:
            mark = "  [TOTP]" if totp else ""
            self.stdout.write(f"  {email:<40} {labels}{mark}")
        self.stdout.write(
            f"Accounts met [TOTP] vragen een tweede factor: geheim {DEMO_TOTP_SECRET}, "
            f"code met: oathtool --totp -b {DEMO_TOTP_SECRET}"
        )
        # What an app's demo data needs besides the accounts (the API's demo clients).
        for module in modules:
            for line in getattr(module, "demo_notes", list)():
                self.stdout.write(line)

    @staticmethod
    def _demo_modules():
        for config in apps.get_app_configs():
            if config.name in {"weerbaar"} or not config.path.startswith(str(settings.BASE_DIR)):
                continue
            try:
                yield importlib.import_module(f"{config.name}.demo")
            except ModuleNotFoundError:
                continue
