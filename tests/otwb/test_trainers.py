import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from otwb import services
from otwb.constants import SessionStatus, TrainerKind
from otwb.errors import Refused
from otwb.models import Assignment, AvailabilityException, WeeklyAvailability
from otwb.planner import propose_trainers

from .factories import SessionFactory, TourFactory, TrainerFactory, at
from .threads import run_in_threads


@pytest.mark.django_db
def test_trainer_cannot_be_booked_for_two_overlapping_sessions(coordinator):
    trainer = TrainerFactory(name="Vera")
    first = SessionFactory(starts_at=at(2026, 3, 10, 19))
    second = SessionFactory(starts_at=at(2026, 3, 10, 20), tour=first.tour)
    services.assign_trainer(first, trainer, actor=coordinator)
    with pytest.raises(Refused, match="Vera is op dat moment al ingezet"):
        services.assign_trainer(second, trainer, actor=coordinator)


@pytest.mark.django_db
def test_back_to_back_sessions_are_not_a_double_booking(coordinator):
    trainer = TrainerFactory()
    first = SessionFactory(starts_at=at(2026, 3, 10, 13))
    second = SessionFactory(starts_at=at(2026, 3, 10, 16), tour=first.tour)
    services.assign_trainer(first, trainer, actor=coordinator)
    services.assign_trainer(second, trainer, actor=coordinator)
    assert Assignment.objects.filter(trainer=trainer, active=True).count() == 2


@pytest.mark.django_db
def test_database_refuses_overlap_that_bypasses_the_service():
    trainer = TrainerFactory()
    first = SessionFactory(starts_at=at(2026, 3, 10, 19))
    second = SessionFactory(starts_at=at(2026, 3, 10, 20), tour=first.tour)
    Assignment.objects.create(
        session=first, trainer=trainer, starts_at=first.starts_at, ends_at=first.ends_at
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            session=second, trainer=trainer, starts_at=second.starts_at, ends_at=second.ends_at
        )


@pytest.mark.django_db
def test_released_assignment_frees_the_trainer(coordinator):
    trainer = TrainerFactory()
    first = SessionFactory(starts_at=at(2026, 3, 10, 19))
    second = SessionFactory(starts_at=at(2026, 3, 10, 19), tour=first.tour)
    assignment = services.assign_trainer(first, trainer, actor=coordinator)
    services.unassign_trainer(assignment, actor=coordinator)
    services.assign_trainer(second, trainer, actor=coordinator)


@pytest.mark.django_db
def test_trainer_outside_their_availability_is_refused(coordinator):
    trainer = TrainerFactory(always_available=False, name="Piet")
    WeeklyAvailability.objects.create(
        trainer=trainer, weekday=1, start_time=dt.time(9), end_time=dt.time(17)
    )  # Tuesdays, daytime
    evening = SessionFactory(starts_at=at(2026, 3, 10, 19))  # a Tuesday evening
    with pytest.raises(Refused, match="Piet is op dat moment niet beschikbaar"):
        services.assign_trainer(evening, trainer, actor=coordinator)
    AvailabilityException.objects.create(trainer=trainer, date=dt.date(2026, 3, 17))
    away = SessionFactory(starts_at=at(2026, 3, 17, 10), tour=evening.tour)
    with pytest.raises(Refused, match="niet beschikbaar"):
        services.assign_trainer(away, trainer, actor=coordinator)
    AvailabilityException.objects.create(
        trainer=trainer,
        date=dt.date(2026, 3, 12),
        available=True,
        start_time=dt.time(18),
        end_time=dt.time(23),
    )
    extra = SessionFactory(starts_at=at(2026, 3, 12, 19), tour=evening.tour)
    services.assign_trainer(extra, trainer, actor=coordinator)


@pytest.mark.django_db
def test_minimum_number_of_vertrouwenspersonen_is_configurable_per_session(coordinator):
    session = SessionFactory(min_vertrouwenspersonen=2)
    services.assign_trainer(session, TrainerFactory(), actor=coordinator)
    services.assign_trainer(session, TrainerFactory(kind=TrainerKind.EXPERT), actor=coordinator)
    with pytest.raises(Refused, match="minstens 2"):
        services.transition_session(session, SessionStatus.CONFIRMED, actor=coordinator)
    services.assign_trainer(session, TrainerFactory(), actor=coordinator)
    services.transition_session(session, SessionStatus.CONFIRMED, actor=coordinator)


@pytest.mark.django_db
def test_planner_proposes_free_trainers_least_loaded_first(coordinator):
    tour = TourFactory()
    busy = TrainerFactory(name="Bezet")
    loaded = TrainerFactory(name="Druk")
    free = TrainerFactory(name="Vrij")
    TrainerFactory(name="Nooit", always_available=False)
    slot = SessionFactory(tour=tour, starts_at=at(2026, 3, 10, 19))
    services.assign_trainer(
        SessionFactory(tour=tour, starts_at=at(2026, 3, 10, 18)), busy, actor=coordinator
    )
    services.assign_trainer(
        SessionFactory(tour=tour, starts_at=at(2026, 3, 20, 10)), loaded, actor=coordinator
    )
    proposals = propose_trainers(slot.starts_at, slot.ends_at, session=slot, now=at(2026, 1, 1))
    names = [p.trainer.name for p in proposals]
    assert names[:2] == ["Vrij", "Druk"]
    by_name = {p.trainer.name: p for p in proposals}
    assert by_name["Bezet"].clashes and not by_name["Bezet"].proposable
    assert not by_name["Nooit"].available
    assert by_name["Druk"].load_month == 1
    assert by_name["Vrij"].proposable and free.pk == by_name["Vrij"].trainer.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_assignment_of_one_trainer_to_overlapping_sessions_books_once(
    organisations, coordinator
):
    trainer = TrainerFactory(name="Vera")
    first = SessionFactory(starts_at=at(2026, 3, 10, 19))
    second = SessionFactory(starts_at=at(2026, 3, 10, 20), tour=first.tour)
    results = run_in_threads(
        [
            lambda: services.assign_trainer(first, trainer, actor=coordinator),
            lambda: services.assign_trainer(second, trainer, actor=coordinator),
        ]
    )
    refused = [r for r in results if isinstance(r, Refused)]
    assert len(refused) == 1
    assert "Vera is op dat moment al ingezet" in str(refused[0])
    assert Assignment.objects.filter(trainer=trainer, active=True).count() == 1


@pytest.mark.django_db
def test_moving_a_session_onto_a_trainers_other_session_is_refused(coordinator):
    trainer = TrainerFactory(name="Vera")
    first = SessionFactory(starts_at=at(2026, 3, 10, 13))
    second = SessionFactory(starts_at=at(2026, 3, 10, 19), tour=first.tour)
    services.assign_trainer(first, trainer, actor=coordinator)
    services.assign_trainer(second, trainer, actor=coordinator)
    with pytest.raises(Refused, match="Vera is op dat moment al ingezet"):
        services.reschedule_session(
            second, starts_at=at(2026, 3, 10, 14), ends_at=at(2026, 3, 10, 17), actor=coordinator
        )
    services.reschedule_session(
        second, starts_at=at(2026, 3, 11, 14), ends_at=at(2026, 3, 11, 17), actor=coordinator
    )
    moved = Assignment.objects.get(session=second, active=True)
    assert (moved.starts_at, moved.ends_at) == (at(2026, 3, 11, 14), at(2026, 3, 11, 17))


def _formset_data(prefix, rows, initial=0):
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(rows):
        data.update({f"{prefix}-{i}-{k}": v for k, v in row.items()})
    return data


@pytest.mark.django_db
def test_coordinator_adds_a_trainer_with_weekly_availability(client_for, coordinator):
    from django.urls import reverse

    from otwb.models import Trainer

    data = {
        "name": "Nadia El Amrani",
        "email": "nadia@example.org",
        "kind": TrainerKind.VERTROUWENSPERSOON,
        "origin": "nvvr",
        "is_active": "on",
        **_formset_data("weekly", [{"weekday": "1", "start_time": "18:00", "end_time": "23:00"}]),
        **_formset_data("exc", [{"date": "", "start_time": "", "end_time": ""}]),
    }
    response = client_for(coordinator).post(reverse("otwb:trainer_create"), data)
    assert response.status_code == 302
    trainer = Trainer.objects.get(name="Nadia El Amrani")
    evening = SessionFactory(starts_at=at(2026, 3, 10, 19))  # Tuesday
    services.assign_trainer(evening, trainer, actor=coordinator)


@pytest.mark.django_db
def test_trainer_marks_themselves_away_and_is_then_not_proposed(client_for, coordinator, otwb_org):
    from django.urls import reverse

    from tests.factories import make_user
    from weerbaar.constants import Role

    user = make_user(Role.VERTROUWENSPERSOON, otwb_org)
    trainer = TrainerFactory(user=user, always_available=False)
    data = {
        **_formset_data("weekly", [{"weekday": "1", "start_time": "09:00", "end_time": "23:00"}]),
        **_formset_data("exc", [{"date": "2026-03-10", "start_time": "", "end_time": ""}]),
    }
    client = client_for(user)
    assert client.get(reverse("otwb:my_availability")).status_code == 200
    assert client.post(reverse("otwb:my_availability"), data).status_code == 302
    away = SessionFactory(starts_at=at(2026, 3, 10, 19))
    there = SessionFactory(starts_at=at(2026, 3, 17, 19), tour=away.tour)
    (on_away,) = [p for p in propose_trainers(away.starts_at, away.ends_at) if p.trainer == trainer]
    (on_there,) = [
        p for p in propose_trainers(there.starts_at, there.ends_at) if p.trainer == trainer
    ]
    assert not on_away.available and on_there.available
    assert client.get(reverse("otwb:trainer_edit", args=[trainer.pk])).status_code == 404


@pytest.mark.django_db
def test_the_planner_judges_availability_in_the_database_as_the_write_path_does():
    """The planner sorts and cuts the pool in SQL (``availability.available``); assigning
    checks one trainer in Python (``is_available``). Both must say the same for every kind
    of pattern and exception around a Tuesday evening slot, 19:00–22:00."""
    from otwb.availability import is_available

    t = dt.time
    day = dt.date(2026, 3, 10)  # a Tuesday
    cases = {
        "weekly covers": ([(1, t(18), t(23))], []),
        "weekly too short": ([(1, t(18), t(21))], []),
        "other weekday": ([(2, t(8), t(23))], []),
        "away all day": ([(1, t(8), t(23))], [(False, None, None)]),
        "away in the morning": ([(1, t(8), t(23))], [(False, t(9), t(12))]),
        "away that evening": ([(1, t(8), t(23))], [(False, t(21), t(23))]),
        "extra window covers": ([], [(True, t(18), t(23))]),
        "extra window too short": ([], [(True, t(20), t(23))]),
        "extra but away too": ([], [(True, t(18), t(23)), (False, t(19), t(20))]),
        "nothing": ([], []),
    }
    trainers = {}
    for name, (weekly, exceptions) in cases.items():
        trainer = TrainerFactory(name=name, always_available=False)
        for weekday, start, end in weekly:
            WeeklyAvailability.objects.create(
                trainer=trainer, weekday=weekday, start_time=start, end_time=end
            )
        for free, start, end in exceptions:
            AvailabilityException.objects.create(
                trainer=trainer, date=day, available=free, start_time=start, end_time=end
            )
        trainers[name] = trainer
    starts, ends = at(2026, 3, 10, 19), at(2026, 3, 10, 22)
    in_sql = {p.trainer.name: p.available for p in propose_trainers(starts, ends)}
    in_python = {
        name: is_available(trainer.weekly.all(), trainer.exceptions.all(), starts, ends)
        for name, trainer in trainers.items()
    }
    assert in_sql == in_python
    assert {name for name, ok in in_sql.items() if ok} == {
        "weekly covers",
        "away in the morning",
        "extra window covers",
    }
    overnight = {p.available for p in propose_trainers(at(2026, 3, 10, 22), at(2026, 3, 11, 1))}
    assert overnight == {False}
