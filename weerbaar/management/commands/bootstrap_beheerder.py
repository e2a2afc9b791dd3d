"""``manage.py bootstrap_beheerder --email …``: the first functioneel beheerder of a new
installation.

Every other sensitive role needs a second person's approval (weerbaar/membership_rules.py),
and a functioneel beheerder is approved only by another functioneel beheerder: the first one
can therefore not come through the portal. This command makes that one, on the server, as a
system-seeded membership (audited as such), and refuses as soon as any functioneel beheerder
is in force, so it cannot be used later to get around the four-eyes rule. The account gets
no password: the person chooses one with "Wachtwoord vergeten" and enrols a second factor at
the first login."""

from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from weerbaar import memberships
from weerbaar.constants import NationalBody, Role
from weerbaar.models import Membership, Organisation, User

SOURCE = "manage.py bootstrap_beheerder"


class Command(BaseCommand):
    help = "Maak de eerste functioneel beheerder van een nieuwe installatie."

    def add_arguments(self, parser):
        parser.add_argument("--email", required=True)
        parser.add_argument("--name", default="", help="volledige naam")

    def handle(self, *args, email, name, **options):
        email = User.objects.normalize_email(email.strip()).lower()
        try:
            validate_email(email)
        except Exception as exc:
            raise CommandError(f"Geen geldig e-mailadres: {email}") from exc
        organisation = Organisation.objects.filter(code=NationalBody.BZK).first()
        if organisation is None:
            raise CommandError("BZK ontbreekt: voer eerst `manage.py load_organisations` uit.")
        with transaction.atomic():
            in_force = Membership.objects.active().filter(role=Role.FUNCTIONEEL_BEHEERDER)
            # Serialises two bootstraps at once: both would otherwise find no beheerder.
            list(Organisation.objects.select_for_update().filter(pk=organisation.pk))
            if in_force.exists():
                raise CommandError(
                    "Er is al een functioneel beheerder. Een volgende vraagt die aan in het "
                    "portaal (/rollen/); een tweede functioneel beheerder keurt goed."
                )
            user, created = User.objects.get_or_create(email=email, defaults={"full_name": name})
            if created:
                user.set_unusable_password()
            user.is_staff = user.is_superuser = True
            user.save()
            memberships.seed(
                user=user,
                organisation=organisation,
                role=Role.FUNCTIONEEL_BEHEERDER,
                source=SOURCE,
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{email} is functioneel beheerder. Kies een wachtwoord via 'Wachtwoord "
                "vergeten' op de inlogpagina; bij de eerste keer inloggen stelt u een tweede "
                "factor in."
            )
        )
