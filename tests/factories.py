import factory
from django.utils import timezone

from weerbaar import memberships
from weerbaar.constants import OrganisationKind, Role
from weerbaar.models import Membership, Organisation, OrganisationProfile, User

PASSWORD = "Correct-horse-battery-9"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("code",)

    kind = OrganisationKind.GEMEENTE
    code = factory.Sequence(lambda n: f"GM9{n:03d}")
    name = factory.Sequence(lambda n: f"Testgemeente {n}")

    @factory.post_generation
    def profile(organisation, create, extracted, **kwargs):
        """A domicile, as the organisation would enter it on its profile page."""
        if create:
            OrganisationProfile.objects.get_or_create(
                organisation=organisation,
                defaults={
                    "visit_street": f"Stadhuisplein {organisation.pk}",
                    "visit_postcode": "1234 AB",
                    "visit_place": "Teststad",
                },
            )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"persoon{n}@example.org")
    full_name = factory.Faker("name", locale="nl_NL")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            from allauth.account.models import EmailAddress

            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class MembershipFactory(factory.django.DjangoModelFactory):
    """An in-force membership, made through the service's system path (``seed``): fixtures
    stand for people whose roles were approved long ago."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.OFFICE_HOLDER
    position = ""
    valid_from = factory.LazyFunction(lambda: timezone.now() - timezone.timedelta(days=1))

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        return memberships.seed(**kwargs, source="test")


def make_user(role, organisation, position="", **user_kwargs):
    """A user holding one membership. Office holders get a position (default raadslid)."""
    if role == Role.OFFICE_HOLDER and not position:
        position = "raadslid"
    user = UserFactory(**user_kwargs)
    MembershipFactory(user=user, organisation=organisation, role=role, position=position)
    user.__dict__.pop("active_memberships", None)
    return user
