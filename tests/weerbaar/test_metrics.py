"""The Prometheus endpoint: hidden (404) from anyone outside the configured networks, from
requests through the proxy and without the token; to an allowed caller it shows request,
sweep, backlog and login-failure metrics, and no label holds a person or an id."""

import re
import urllib.error
import urllib.request

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from prometheus_client.parser import text_string_to_metric_families

from tests.factories import make_user
from weerbaar import mfa_throttle, notifications, sweeps, tasks
from weerbaar.constants import Role
from weerbaar.metrics import listener
from weerbaar.models import SweepFailure

pytestmark = pytest.mark.django_db

METRICS = "/metrics"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")


def scrape(client=None, **extra):
    response = (client or Client()).get(METRICS, **extra)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def samples(text):
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(text, name, **labels):
    return samples(text).get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.mark.parametrize(
    "extra",
    [
        {"REMOTE_ADDR": "203.0.113.7"},
        # Through the proxy: its address is on the hosting network, the caller is not.
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "203.0.113.7"},
        # A forged header does not open it either.
        {"REMOTE_ADDR": "203.0.113.7", "HTTP_X_FORWARDED_FOR": "127.0.0.1"},
        {"REMOTE_ADDR": "127.0.0.1", "HTTP_FORWARDED": "for=203.0.113.7"},
    ],
)
def test_metrics_are_a_plain_404_outside_the_hosting_network(extra):
    response = Client().get(METRICS, **extra)
    assert response.status_code == 404
    assert b"weerbaar_" not in response.content
    assert "Set-Cookie" not in response.headers or "sessionid" not in response.headers.get(
        "Set-Cookie", ""
    )


@override_settings(METRICS_TOKEN="s3cret-scrape-token")
def test_with_a_token_configured_only_its_bearer_reads_the_metrics():
    client = Client()
    assert client.get(METRICS).status_code == 404
    assert client.get(METRICS, HTTP_AUTHORIZATION="Bearer wrong").status_code == 404
    assert client.get(METRICS, HTTP_AUTHORIZATION="s3cret-scrape-token").status_code == 404
    ok = client.get(METRICS, HTTP_AUTHORIZATION="Bearer s3cret-scrape-token")
    assert ok.status_code == 200 and ok["Content-Type"].startswith("text/plain")


@override_settings(METRICS_ALLOWED_NETWORKS=["10.0.0.0/8"])
def test_configured_network_reaches_the_metrics_and_loopback_no_longer_does():
    assert Client().get(METRICS, REMOTE_ADDR="10.20.30.40").status_code == 200
    assert Client().get(METRICS, REMOTE_ADDR="127.0.0.1").status_code == 404


@override_settings(METRICS_ALLOWED_NETWORKS=[])
def test_no_networks_switches_the_endpoint_off():
    assert Client().get(METRICS).status_code == 404


@override_settings(SECURE_SSL_REDIRECT=True)
def test_scraper_on_plain_http_is_not_redirected_to_https():
    assert Client().get(METRICS).status_code == 200


def test_allowed_caller_sees_requests_sweeps_backlog_and_login_failures(
    client_for, gemeente_a, griffier_a
):
    before = scrape()
    beheerder = make_user(Role.FUNCTIONEEL_BEHEERDER, gemeente_a, email="beheer.metrics@example.nl")
    client = client_for(beheerder)
    # A route with an id in its path: counted under its name, the id nowhere.
    assert client.get(reverse("incidents:case", args=[987654])).status_code == 404
    assert client.get(reverse("sweep_failures")).status_code == 200
    Client().get("/niet/bestaand/4242/")
    # A failed sign-in (wrong password).
    refused = Client().post(
        reverse("account_login"), {"login": griffier_a.email, "password": "fout-fout"}
    )
    assert refused.status_code == 200, refused.status_code
    # A wrong second-factor code.
    assert mfa_throttle.check_code(griffier_a, validate=lambda: False) is None
    # A sweep run that succeeds, one that fails as a whole, and one case that fails.
    tasks.purge_expired_invitations()
    with pytest.raises(RuntimeError), sweeps.run("test-metrics-broken"):
        raise RuntimeError("kapot")

    def act(cases):
        raise ValueError("geen zin")

    with sweeps.run("test-metrics-case") as run:
        run.act([griffier_a], act, model=type(griffier_a))
    assert SweepFailure.objects.open().filter(sweep="test-metrics-case").count() == 1
    notifications.notify(griffier_a, kind="test", subject="Nieuw bericht", body="Log in.")

    after = scrape()

    def grew(name, **labels):
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("weerbaar_http_requests_total", view="incidents:case", method="GET", status="404")
    assert grew("weerbaar_http_requests_total", view="sweep_failures", method="GET", status="200")
    assert grew("weerbaar_http_requests_total", view="unresolved", method="GET", status="404")
    assert grew("weerbaar_http_request_duration_seconds_count", view="incidents:case", method="GET")
    assert grew("weerbaar_login_failures_total", stage="password") == 1
    assert grew("weerbaar_login_failures_total", stage="mfa") == 1
    assert grew("weerbaar_sweep_runs_total", sweep="expire-invitations", outcome="succeeded") == 1
    assert grew("weerbaar_sweep_runs_total", sweep="test-metrics-broken", outcome="failed") == 1
    assert grew("weerbaar_sweep_duration_seconds_count", sweep="expire-invitations") == 1
    assert grew("weerbaar_sweep_case_failures_total", sweep="test-metrics-case") == 1
    assert value(after, "weerbaar_sweep_open_failures", sweep="test-metrics-case") == 1
    assert value(after, "weerbaar_sweep_due", sweep="test-metrics-case") == 1
    assert value(after, "weerbaar_sweep_acted", sweep="test-metrics-case") == 0
    assert value(after, "weerbaar_sweep_last_success_timestamp_seconds", sweep="expire-invitations")
    assert value(after, "weerbaar_outbox_backlog", state="pending") >= 1
    assert value(after, "weerbaar_outbox_due") >= 1
    assert value(after, "weerbaar_metrics_database_up") == 1

    # Nothing personal or identifying in any label, nor an email anywhere in the text (ids
    # are looked for in label values only: a number may turn up inside a measured value).
    assert beheerder.email not in after and griffier_a.email not in after
    assert not EMAIL.search(after)
    label_values = {v for (_name, labels) in samples(after) for _label, v in labels}
    assert not {v for v in label_values if "987654" in v or "4242" in v or "/" in v}
    ids = {str(beheerder.pk), str(griffier_a.pk)}
    portal = {key: v for key, v in samples(after).items() if key[0].startswith("weerbaar_")}
    assert {label for (_name, labels) in portal for label, _v in labels} == {
        "view",
        "method",
        "status",
        "le",
        "sweep",
        "outcome",
        "stage",
        "state",
    }
    for (_name, labels), _value in portal.items():
        for label, label_value in labels:
            if label in ("status", "le"):
                continue
            assert not re.fullmatch(r"\d+", label_value), (label, label_value)
            assert label_value not in ids


def test_scrape_costs_a_handful_of_queries(django_assert_max_num_queries):
    # Sweeps (2), notifications outbox (2), webhook outbox (1).
    with django_assert_max_num_queries(5):
        scrape()


def test_worker_listener_answers_the_hosting_network_only():
    tasks.purge_expired_invitations()
    server = listener.start(0, host="127.0.0.1")
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}{METRICS}"
        with urllib.request.urlopen(url, timeout=5) as response:
            text = response.read().decode()
        assert 'weerbaar_sweep_runs_total{outcome="succeeded",sweep="expire-invitations"}' in text
        # The database gauges come from web only.
        assert "weerbaar_outbox_backlog" not in text
        forwarded = urllib.request.Request(url, headers={"X-Forwarded-For": "203.0.113.7"})
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(forwarded, timeout=5)
        assert refused.value.code == 404
    finally:
        server.shutdown()
        server.server_close()
