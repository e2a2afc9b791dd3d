import pytest

from veiligwonen.constants import Status
from veiligwonen.demo import seed_demo
from veiligwonen.models import Application, MeasureType
from weerbaar.demo import seed_accounts


@pytest.mark.django_db
def test_demo_seed_creates_applications_at_several_stages_and_is_idempotent(organisations):
    seed_accounts()
    seed_demo()
    seed_demo()
    statuses = dict(Application.objects.values_list("applicant__email", "status"))
    assert statuses == {
        "burgemeester@utrecht.demo": Status.SUBMITTED,
        "wethouder@groningen.demo": Status.SUBMITTED,
        "wethouder@utrecht.demo": Status.ADVICE_ISSUED,
    }
    assert MeasureType.objects.filter(code="pkvw", priority=1).exists()
