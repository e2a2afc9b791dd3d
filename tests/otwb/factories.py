import datetime as dt
from zoneinfo import ZoneInfo

import factory

from otwb.constants import SessionKind, TourKind, TrainerKind, TrainerOrigin
from otwb.models import Session, Tour, Trainer, WeeklyAvailability

TZ = ZoneInfo("Europe/Amsterdam")


def at(year, month, day, hour=0, minute=0):
    return dt.datetime(year, month, day, hour, minute, tzinfo=TZ)


class TourFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tour

    name = factory.Sequence(lambda n: f"Ronde {n}")
    kind = TourKind.MAIN
    starts_on = dt.date(2022, 7, 1)
    ends_on = dt.date(2027, 12, 31)


class TrainerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trainer
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Trainer {n}")
    email = factory.Sequence(lambda n: f"trainer{n}@example.org")
    kind = TrainerKind.VERTROUWENSPERSOON
    origin = TrainerOrigin.NGB

    @factory.post_generation
    def always_available(obj, create, extracted, **kwargs):
        """Every day 08:00–23:00 unless ``always_available=False``."""
        if create and extracted is not False:
            WeeklyAvailability.objects.bulk_create(
                WeeklyAvailability(
                    trainer=obj, weekday=d, start_time=dt.time(8), end_time=dt.time(23)
                )
                for d in range(7)
            )


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    tour = factory.SubFactory(TourFactory)
    kind = SessionKind.COUNCIL
    title = factory.Sequence(lambda n: f"Sessie {n}")
    starts_at = at(2026, 3, 10, 19)
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + dt.timedelta(hours=3))
    place = "Stadhuis"


def driehoek_people(prefix="x"):
    return {
        "burgemeester_name": f"Burgemeester {prefix}",
        "burgemeester_email": f"bm-{prefix}@example.org",
        "griffier_name": f"Griffier {prefix}",
        "griffier_email": f"gr-{prefix}@example.org",
        "secretaris_name": f"Secretaris {prefix}",
        "secretaris_email": f"gs-{prefix}@example.org",
    }
