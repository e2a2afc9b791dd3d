"""The start page of someone without a reporter role asks whether they have meldingen of
their own (issue 20 §3). That probe reads the reporter's and the filer's index, never the
meldingen: as "reporter OR filed by … LIMIT 1" PostgreSQL expected an early match in a scan
and, for the many users with none, read every melding (1.4 s at scale 10; issue 25 §2)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from incidents.constants import Status
from incidents.models import Melding
from weerbaar.models import Organisation

from .. import db_roles
from ..explain import plan_nodes

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_own_meldingen_probe_reads_two_indexes_not_the_meldingen(
    client_for, vertrouwenspersoon, raadslid_a, db_roles_names
):
    org = Organisation.objects.get(code="GM0344")
    Melding.objects.bulk_create(
        Melding(
            organisation=org,
            route_organisation=org,
            route="griffier",
            reporter=raadslid_a,
            filed_by=raadslid_a,
            reporter_role="office_holder",
            status=Status.CLOSED,
        )
        for _ in range(3000)
    )
    with db_roles.connect_as(db_roles_names[0], connection.settings_dict) as owner:
        owner.execute("ANALYZE incidents_melding")
    client = client_for(vertrouwenspersoon)
    with CaptureQueriesContext(connection) as ctx:
        html = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("incidents:mine")}"' not in html
    (probe,) = [q["sql"] for q in ctx.captured_queries if '"filed_by_id" =' in q["sql"]]
    nodes = plan_nodes(probe)
    indexes = {n.get("Index Name") for n in nodes}
    assert {
        "incidents_melding_reporter_id_f4f1d421",
        "incidents_melding_filed_by_id_c53aa689",
    } <= indexes, nodes
    assert not [
        n
        for n in nodes
        if n["Node Type"] == "Seq Scan" and n["Relation Name"] == "incidents_melding"
    ], nodes
