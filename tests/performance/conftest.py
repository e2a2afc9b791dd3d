import pytest
from django.db import transaction

from perf import loadgen

SCALE = 0.003


class _Rollback(Exception):
    pass


@pytest.fixture(scope="module")
def load_data(django_db_setup, django_db_blocker):
    """Load data at a tiny scale, once per module, rolled back when the module is done
    (each test's own transaction nests inside as a savepoint)."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                plan = loadgen.Plan(scale=SCALE, log=lambda msg: None)
                loadgen.seed(plan)
                yield plan
                raise _Rollback
        except _Rollback:
            pass
