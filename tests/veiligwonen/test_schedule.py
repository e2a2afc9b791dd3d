from importlib import import_module

import pytest
from django.conf import settings

from veiligwonen.schedule import BEAT_SCHEDULE


@pytest.mark.parametrize("name", sorted(BEAT_SCHEDULE))
def test_every_beat_entry_imports_and_is_in_the_settings(name):
    entry = BEAT_SCHEDULE[name]
    module, func = entry["task"].rsplit(".", 1)
    task = getattr(import_module(module), func)
    assert task.name == entry["task"]
    assert settings.CELERY_BEAT_SCHEDULE[name] == entry


@pytest.mark.django_db
def test_tasks_run_the_sweeps():
    from veiligwonen import tasks

    assert tasks.sweep_sla.delay().get() == 0
    assert tasks.rescore_queue.delay().get() == 0
    assert tasks.remind_open_measures.delay().get() == 0
    assert tasks.purge_closed.delay().get() == 0
