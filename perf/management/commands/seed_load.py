from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from perf import loadgen
from weerbaar.models import Organisation
from weerbaar.seeding import ALLOW_FLAG, ALLOW_HELP, refuse_real_data


class Command(BaseCommand):
    help = (
        "Fill the database with load data for the benchmark (scale 1 = 100 000 meldingen). "
        "Idempotent: a second run tops up to the scale instead of duplicating. "
        "Refuses a database with real data (it would mail real triagers about fake "
        f"meldingen) unless {ALLOW_FLAG} is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0)
        parser.add_argument("--seed", type=int, default=20261128)
        parser.add_argument(
            "--no-sweeps",
            action="store_true",
            help="skip running every periodic sweep once afterwards (steady state)",
        )
        parser.add_argument(ALLOW_FLAG, action="store_true", help=ALLOW_HELP)

    def handle(self, *args, scale, seed: int, no_sweeps, **options):
        if scale <= 0:
            raise CommandError("--scale must be positive")
        refuse_real_data("seed_load", allowed=options["allow_real_data"])
        if not Organisation.objects.filter(code="OTWB").exists():
            call_command("load_organisations", stdout=self.stdout)
        log = self.stdout.write if options["verbosity"] > 1 else (lambda msg: None)
        plan = loadgen.Plan(scale=scale, seed=seed, log=log)
        added = loadgen.seed(plan, sweeps=not no_sweeps)
        summary = ", ".join(f"{k} +{v}" for k, v in added.items())
        self.stdout.write(f"Load data at scale {scale:g}: {summary}.")
