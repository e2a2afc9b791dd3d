import importlib

import pytest
from celery import current_app
from django.conf import settings
from django.urls import reverse

from otwb import services
from otwb.constants import SessionStatus
from otwb.demo import seed_demo
from otwb.models import Evaluation, Session, Trainer, Traject
from otwb.schedule import BEAT_SCHEDULE
from weerbaar.demo import seed_accounts

from .factories import SessionFactory, TrainerFactory, at

pytestmark = pytest.mark.django_db


def _held_session(coordinator, gemeente_a):
    session = SessionFactory(starts_at=at(2026, 3, 10, 19))
    session.organisations.set([gemeente_a])
    services.assign_trainer(session, TrainerFactory(), actor=coordinator)
    services.transition_session(session, SessionStatus.CONFIRMED, actor=coordinator)
    services.transition_session(session, SessionStatus.HELD, actor=coordinator)
    return session


def test_participant_evaluates_and_coordinator_sees_results_per_session_and_overall(
    client_for, coordinator, griffier_a, gemeente_a
):
    session = _held_session(coordinator, gemeente_a)
    client = client_for(griffier_a)
    url = reverse("otwb:evaluate", args=[session.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"overall": 4, "usefulness": 5, "trainers": 3, "comment": "Goed"})
    assert response.status_code == 302
    client.post(url, {"overall": 2, "usefulness": 5, "trainers": 3})  # changes, not doubles
    assert Evaluation.objects.get(session=session, respondent=griffier_a).overall == 2

    results = client_for(coordinator).get(reverse("otwb:evaluation_results")).content.decode()
    assert "2,0" in results and "5,0" in results
    detail = client_for(coordinator).get(reverse("otwb:session_detail", args=[session.pk]))
    assert "Aantal evaluaties" in detail.content.decode()


def test_evaluation_before_the_session_is_refused(client_for, griffier_a, gemeente_a):
    session = SessionFactory(starts_at=at(2099, 3, 10, 19))
    session.organisations.set([gemeente_a])
    client_for(griffier_a).post(
        reverse("otwb:evaluate", args=[session.pk]), {"overall": 4, "usefulness": 5, "trainers": 3}
    )
    assert not Evaluation.objects.exists()


def test_demo_data_seeds_a_tour_with_sessions_for_the_demo_accounts(organisations):
    seed_accounts()
    seed_demo()
    seed_demo()  # idempotent
    assert Traject.objects.filter(status="session_planned").count() == 1
    assert Session.objects.count() == 2
    assert Trainer.objects.get(user__email="vertrouwenspersoon@otwb.demo").assignments.exists()


def test_every_beat_entry_imports_and_is_in_the_settings():
    for name, entry in BEAT_SCHEDULE.items():
        module, _, func = entry["task"].rpartition(".")
        task = getattr(importlib.import_module(module), func)
        assert task.name in current_app.tasks, name
        assert settings.CELERY_BEAT_SCHEDULE[name] == entry


def test_only_participants_can_evaluate(client_for, coordinator, griffier_b, gemeente_a):
    session = _held_session(coordinator, gemeente_a)
    session.kind = "driehoek"
    session.save()
    client_for(griffier_b).post(
        reverse("otwb:evaluate", args=[session.pk]), {"overall": 1, "usefulness": 1, "trainers": 1}
    )
    assert not Evaluation.objects.exists()
