"""The pages of the benchmark and how each is timed: warm-up, then ``repeat`` requests
through the Django test client (server time only: no network, no browser), then one more
request under ``CaptureQueriesContext`` for the query count (capturing slows a request
down, so it is not timed). Everything a page writes (audit rows, sessions, a filed
melding) is rolled back afterwards, so runs do not change the data they measure."""

import time
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings as django_settings
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import urlencode

from . import endpoints
from .actors import Cast
from .loadtest import _cpu_seconds
from .sessions import logged_in_client
from .stats import Result, selected

__all__ = ["SCENARIOS", "WORKING_PAGES", "Scenario", "measure_pages", "request_checked"]


@dataclass(frozen=True)
class Scenario:
    name: str
    actor: str  # attribute of Cast
    url: object  # (cast) -> path, or None when the page does not exist
    method: str = "get"
    data: object = None  # (cast) -> dict for a POST
    expect: tuple = (200,)
    # Settings for this scenario only: filing 30+ meldingen as one person in a minute
    # would otherwise (rightly) hit the per-user rate limit of 20 an hour.
    settings: dict = field(default_factory=dict)
    tags: frozenset = field(default_factory=frozenset)
    # (cast) -> a test client, or None when the data has none; default: the actor logged in.
    client: object = None
    group: str = "page"


def _filing_data(cast):
    when = timezone.localtime(timezone.now() - timedelta(hours=3))
    return {
        "reporter_membership": cast.raadslid_membership.pk,
        "occurred_at": when.strftime("%Y-%m-%dT%H:%M"),
        "place": "online",
        "channel": "social",
        "categories": ["threat", "online"],
        "description": "Een account schreef dat ze me na de vergadering zouden opwachten.",
        "perpetrator": "unknown",
        "help_wanted": ["talk"],
        "action": "send",
    }


def _council_list(rows):
    """A pasted list of ``rows`` new people for the griffier's own organisation: checked and
    previewed, never sent (the preview writes nothing)."""

    def data(cast):
        from weerbaar.constants import Role

        organisation = cast.griffier.organisations_with_role(Role.GRIFFIER)[0]
        lines = ["naam;e-mailadres;functie;startdatum"] + [
            f"Bench Raadslid {i};bench-lid{i}@bulk.example.org;raadslid;2-4-2026"
            for i in range(rows)
        ]
        return {"organisation": organisation, "text": "\n".join(lines), "action": "check"}

    return data


def _without_rate_limit(action):
    return {k: v for k, v in django_settings.ACCOUNT_RATE_LIMITS.items() if k != action}


def _reverse(name, *args):
    def build(cast):
        values = [getattr(cast, a) for a in args]
        if any(v is None for v in values):
            return None
        try:
            return reverse(name, args=values)
        except NoReverseMatch:
            return None

    return build


def _with_query(name, query):
    base = _reverse(name)
    return lambda cast: (base(cast) + query) if base(cast) else None


def _case_with(query):
    base = _reverse("incidents:case", "melding_id")
    return lambda cast: (base(cast) + query) if base(cast) else None


def _case_section(section):
    return lambda cast: (
        reverse("incidents:case_section", args=[cast.melding_id, section])
        if cast.melding_id
        else None
    )


def _fetching(cast):
    """The triager as the case page's script asks for a section (case.js)."""
    client = logged_in_client(cast.triager)
    client.defaults["HTTP_X_REQUESTED_WITH"] = "fetch"
    return client


# Every follow-up section of the case page open (case_sections.FOLLOW_UP), as the whole
# page was before they were closed until opened.
EVERY_SECTION = "?open=brieven&open=nazorg&open=opvolging-dader&open=aangifte&open=delen"


def _start_page(actor):
    """The start page, where the load data has someone in ``actor``'s role."""
    return lambda cast: reverse("home") if getattr(cast, actor) is not None else None


def _searched(name, actor, query_of):
    """A list with a search made by ``actor`` (the box's redirect target): ``query_of(cast)``
    is what they typed."""
    base = _reverse(name)

    def build(cast):
        from weerbaar.search_box import PARAM, seal

        query = query_of(cast)
        if base(cast) is None or not query:
            return None
        return f"{base(cast)}?{urlencode({PARAM: seal(query, getattr(cast, actor))})}"

    return build


def _reporter_name(cast):
    """The name of the reporter of the triager's busiest case: a triager looking a case up."""
    from incidents.models import Melding

    row = Melding.objects.filter(pk=cast.melding_id).values_list("reporter__full_name")
    return next(iter(row), [""])[0]


def _applicant_name(cast):
    from veiligwonen.models import Application

    row = Application.objects.filter(pk=cast.application_id).values_list("applicant__full_name")
    return next(iter(row), [""])[0]


SCENARIOS = [
    Scenario("triage dashboard", "triager", _reverse("incidents:dashboard")),
    Scenario(
        "triage dashboard, filtered",
        "triager",
        _with_query("incidents:dashboard", "?status=closed&category=threat&sort=-submitted_at"),
    ),
    Scenario(
        "triage dashboard, last page", "triager", _with_query("incidents:dashboard", "?page=last")
    ),
    Scenario(
        "triage search",
        "triager",
        _searched("incidents:dashboard", "triager", _reporter_name),
    ),
    Scenario("case page (triager)", "triager", _reverse("incidents:case", "melding_id")),
    Scenario("case page, every section open", "triager", _case_with(EVERY_SECTION)),
    # Opening the aangifte, the dearest section to render, as the page's script does.
    Scenario(
        "case page section: aangifte",
        "triager",
        _case_section("aangifte"),
        client=_fetching,
    ),
    Scenario("reporter's list", "raadslid", _reverse("incidents:mine")),
    Scenario(
        "file a melding (POST)",
        "raadslid",
        _reverse("incidents:new"),
        method="post",
        data=_filing_data,
        expect=(302,),
        settings={"ACCOUNT_RATE_LIMITS": _without_rate_limit("melding_submit")},
    ),
    Scenario("Veilig Wonen queue", "intake", _reverse("veiligwonen:queue")),
    Scenario(
        "Veilig Wonen queue search",
        "intake",
        _searched("veiligwonen:queue", "intake", _applicant_name),
    ),
    Scenario("Veilig Wonen case page", "intake", _reverse("veiligwonen:detail", "application_id")),
    Scenario("OTWB planner", "coordinator", _reverse("otwb:planner", "session_id")),
    Scenario("OTWB coverage", "coordinator", _reverse("otwb:coverage")),
    Scenario("OTWB trajecten", "coordinator", _reverse("otwb:traject_list")),
    Scenario(
        "OTWB trajecten search",
        "coordinator",
        _searched("otwb:traject_list", "coordinator", lambda cast: "utrecht"),
    ),
    Scenario("monitor main page", "griffier", _reverse("monitor:index")),
    Scenario("monitor national page", "analyst", _reverse("monitor:index")),
    # Every gemeente, provincie and waterschap with its readiness (issue 19 §3).
    Scenario("readiness, national", "coordinator", _reverse("incidents:readiness")),
    # The start page of each role (issue 21 §1): "start page (<role>)".
    *(
        Scenario(f"start page ({actor})", actor, _start_page(actor))
        for actor in (
            "raadslid",
            "griffier",
            "secretaris",
            "voorzitter",
            "vertrouwenspersoon",
            "coordinator",
            "intake",
            "adviser",
            "bva",
        )
    ),
    # A whole council at once (issue 20 §2): parse, check and render the preview.
    *(
        Scenario(
            f"bulk_invite_preview_{rows}",
            "griffier",
            _reverse("invitation_bulk"),
            method="post",
            data=_council_list(rows),
        )
        for rows in (45, 1000)
    ),
    # The REST API (perf/bench/endpoints.py): each list as the kind of client that reads it.
    *(
        Scenario(
            name,
            actor,
            url,
            settings=endpoints.SETTINGS,
            client=endpoints.CLIENTS[caller],
            group="api",
        )
        for name, actor, caller, url in endpoints.ENDPOINTS
    ),
]


# The pages people work in all day (issue 25 §2): what ``bench --databases`` compares
# between scales.
WORKING_PAGES = (
    "triage dashboard",
    "triage dashboard, filtered",
    "case page (triager)",
    "reporter's list",
    "Veilig Wonen queue",
    "Veilig Wonen case page",
    "OTWB planner",
    "OTWB coverage",
    "monitor main page",
    *(s.name for s in SCENARIOS if s.name.startswith("start page (")),
)


class Rollback(Exception):
    pass


def _request(client, scenario, url, data):
    if scenario.method == "post":
        return client.post(url, data)
    return client.get(url)


def request_checked(client, scenario, url, data):
    """One request; an unexpected status ends the measurement."""
    response = _request(client, scenario, url, data)
    if response.status_code not in scenario.expect:
        raise RuntimeError(f"{scenario.name}: {url} answered {response.status_code}")
    return response


def _backend_cpu():
    """CPU seconds used so far by this connection's PostgreSQL backend, when the server runs
    on this machine (None otherwise). Read from ``/proc`` in clock ticks (10 ms), so it is
    taken over all the timed requests of a page and divided, not per request."""
    if django_settings.DATABASES["default"]["HOST"] not in ("127.0.0.1", "localhost", ""):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    return _cpu_seconds([pid])


def measure_one(scenario, cast: Cast, repeat, warmup=3):
    url = scenario.url(cast)
    if url is None:
        return Result(scenario.group, scenario.name, note="n/a (no such page, or no data for it)")
    user = getattr(cast, scenario.actor)
    # Wall time per request, and CPU: this process's per request (what a web worker would
    # spend) and PostgreSQL's backend over the timed requests. On a shared machine waiting
    # for a core inflates the wall time; it inflates CPU time far less.
    times, cpu, queries = [], [], None
    db_before = db_cpu = None
    try:
        with transaction.atomic(), override_settings(**scenario.settings):
            client = scenario.client(cast) if scenario.client else logged_in_client(user)
            if client is None:
                times = None
                raise Rollback
            data = scenario.data(cast) if scenario.data else None
            for n in range(warmup + repeat):
                if n == warmup:
                    db_before = _backend_cpu()
                start, start_cpu = time.perf_counter(), time.process_time()
                request_checked(client, scenario, url, data)
                elapsed = time.perf_counter() - start
                if n >= warmup:
                    times.append(elapsed)
                    cpu.append(time.process_time() - start_cpu)
            db_after = _backend_cpu()
            if db_before is not None and db_after is not None and repeat:
                db_cpu = (db_after - db_before) / repeat
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as ctx:
                _request(client, scenario, url, data)
            queries = len(ctx.captured_queries)
            raise Rollback
    except Rollback:
        pass
    if times is None:
        return Result(scenario.group, scenario.name, note="n/a (no data for it)")
    who = f"as {scenario.actor}" + ("'s API client" if scenario.group == "api" else "")
    return Result.from_times(
        scenario.group, scenario.name, times, queries, note=who, cpu=cpu, db_cpu=db_cpu
    )


def monitor_source():
    """What the monitor pages will read (docs/monitor.md "The summary", "The snapshot"):
    a stale or missing summary makes them count live, which the figures must say."""
    from monitor import snapshot
    from monitor.models import MonitorSnapshot
    from monitor.summary import source

    chosen = source()
    if chosen.live:
        return "summary missing or stale: the monitor counts live"
    if not snapshot.enabled():
        return f"summary of {chosen.at:%Y-%m-%d %H:%M} UTC; snapshots off (MONITOR_SNAPSHOTS)"
    stored = MonitorSnapshot.objects.filter(refreshed_at=chosen.at).count()
    return (
        f"summary of {chosen.at:%Y-%m-%d %H:%M} UTC; {stored} national snapshots stored "
        "(a selection without one is stored by its first request, a warm-up)"
    )


def measure_pages(cast, repeat, log=print, only=()):
    results = []
    if any(s.name.startswith("monitor") and selected(s.name, only) for s in SCENARIOS):
        log(f"  (monitor: {monitor_source()})")
    for scenario in SCENARIOS:
        if not selected(scenario.name, only):
            continue
        result = measure_one(scenario, cast, repeat)
        log(
            f"  {result.name}: p50 {result.p50_ms} ms, {result.queries} queries, "
            f"CPU {result.cpu_ms} + {result.db_cpu_ms} ms {result.note}"
        )
        results.append(result)
    return results
