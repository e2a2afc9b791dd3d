"""The load test against the django-helpdesk anchor (issue 25 §3): the table, the ratio and
the regression rule on given numbers, and the runner's refusal when the anchor is absent.
Nothing here installs or runs the anchor."""

import pytest
from django.core.management import CommandError, call_command

from perf.bench import ratio
from perf.bench.anchor import AnchorMissing, HelpdeskAnchor


def _run(rps, server, database, client, errors=0):
    return {
        "rps": rps,
        "errors": errors,
        "server_cpu_ms": server,
        "database_own_cpu_ms": database,
        # The whole server: other databases' work is no part of any ratio.
        "database_cpu_ms": database + 7.0,
        "client_cpu_ms": client,
    }


PORTAL = [_run(96.0, 16.0, 3.0, 0.5), _run(90.0, 17.0, 3.5, 0.5)]
ANCHOR = [_run(12.0, 100.0, 60.0, 1.0), _run(11.0, 110.0, 64.0, 1.0, errors=1)]


def _env():
    return {
        "date": "2026-12-07 10:30 UTC",
        "machine": "x86_64, 2 cores, Linux",
        "python": "CPython 3.11.2",
        "postgresql": "15.8",
        "scale": "1",
        "load_average": (2.0, 2.0, 2.0),
    }


def test_each_system_is_the_median_of_its_runs_and_the_total_is_the_sum_of_its_parts():
    portal = ratio.summary(PORTAL)

    assert portal["rps"] == 93.0
    assert portal["rps_runs"] == [96.0, 90.0]
    assert portal["cpu_ms"] == {
        "workers": 16.5,
        "PostgreSQL": 3.25,
        "client": 0.5,
        "total": 20.25,
    }
    assert portal["postgresql_whole_server_cpu_ms"] == 10.25
    assert ratio.summary(ANCHOR)["errors"] == 1


def test_the_ratios_are_the_portal_divided_by_the_anchor():
    comparison = ratio.compare(PORTAL, ANCHOR)

    assert comparison["ratio"]["rps"] == round(93.0 / 11.5, 4)
    assert comparison["ratio"]["cpu_ms"]["total"] == round(20.25 / 168.0, 4)
    assert comparison["ratio"]["cpu_ms"]["workers"] == round(16.5 / 105.0, 4)
    assert comparison["ratio"]["rounds"] == [round(19.5 / 161.0, 4), round(21.0 / 175.0, 4)]


def test_a_part_not_measured_leaves_the_total_and_its_ratio_empty_rather_than_too_low():
    remote = [{**run, "database_own_cpu_ms": None} for run in PORTAL]

    comparison = ratio.compare(remote, ANCHOR)

    assert comparison["portal"]["cpu_ms"]["total"] is None
    assert comparison["ratio"]["cpu_ms"]["total"] is None
    verdict = ratio.check(comparison, {"ratio_cpu_ms_total": 0.12, "date": "d"})
    assert not verdict["regressed"]
    assert "not measured" in verdict["message"]


def test_a_slower_hour_that_slows_both_alike_is_no_regression():
    comparison = ratio.compare(PORTAL, ANCHOR)
    baseline = ratio.baseline_record(comparison, _env())
    slow = 1.6
    slower = ratio.compare(
        [_run(r["rps"] / slow, *(r[f"{k}_cpu_ms"] * slow for k in ratio.PARTS)) for r in PORTAL],
        [_run(r["rps"] / slow, *(r[f"{k}_cpu_ms"] * slow for k in ratio.PARTS)) for r in ANCHOR],
    )

    verdict = ratio.check(slower, baseline)

    assert not verdict["regressed"]
    assert abs(verdict["change"]) < 0.001
    assert "explain" not in verdict["message"]


def test_portal_cpu_per_request_more_than_ten_percent_up_against_the_anchor_is_a_regression():
    baseline = ratio.baseline_record(ratio.compare(PORTAL, ANCHOR), _env())
    dearer = [{**run, "server_cpu_ms": run["server_cpu_ms"] * 1.15} for run in PORTAL]

    verdict = ratio.check(ratio.compare(dearer, ANCHOR), baseline)

    assert verdict["regressed"]
    assert verdict["change"] > 0.10
    assert "regression > 10 %: explain in docs/performance.md" in verdict["message"]


def test_up_to_ten_percent_is_within_the_rule():
    baseline = ratio.baseline_record(ratio.compare(PORTAL, ANCHOR), _env())
    dearer = [{**run, "server_cpu_ms": run["server_cpu_ms"] * 1.08} for run in PORTAL]

    verdict = ratio.check(ratio.compare(dearer, ANCHOR), baseline)

    assert not verdict["regressed"]
    assert 0.05 < verdict["change"] <= 0.10


def test_without_a_baseline_the_report_says_so():
    verdict = ratio.check(ratio.compare(PORTAL, ANCHOR), None)

    assert verdict == {"regressed": False, "message": "no baseline to compare with"}


def test_the_baseline_round_trips_through_its_file(tmp_path):
    comparison = ratio.compare(PORTAL, ANCHOR)
    path = tmp_path / "baseline.json"

    ratio.write_baseline(path, ratio.baseline_record(comparison, _env()))

    saved = ratio.read_baseline(path)
    assert saved["ratio_cpu_ms_total"] == comparison["ratio"]["cpu_ms"]["total"]
    assert saved["date"] == "2026-12-07 10:30 UTC"
    assert saved["machine"] == "x86_64, 2 cores, Linux"
    assert ratio.read_baseline(tmp_path / "none.json") is None


def test_the_table_shows_both_systems_the_ratios_and_the_verdict():
    comparison = ratio.compare(PORTAL, ANCHOR)
    verdict = ratio.check(comparison, None)

    text = ratio.table(comparison, verdict, duration=25, threads=8)

    rows = {line.split("|")[1].strip(): line for line in text.splitlines() if "|" in line}
    assert "93.0 (96, 90)" in rows["portal (mix)"]
    assert "20.25" in rows["portal (mix)"]
    assert "168.00" in rows["django-helpdesk 2.6.1 (mix)"]
    assert "0.1205" in rows["portal / anchor"]
    assert "8.09" in rows["portal / anchor"]
    assert "round by round: 0.1211, 0.1200." in text
    assert "10.25 ms per portal request, 69.00 per anchor request" in text
    assert text.endswith("no baseline to compare with")


def test_the_runner_refuses_clearly_when_the_anchor_is_missing(tmp_path):
    with pytest.raises(AnchorMissing, match="django-helpdesk anchor is not at") as exc:
        HelpdeskAnchor(tmp_path / "helpdesk", tmp_path / "cache", "hd100k")

    assert "scripts/seed.py" in str(exc.value)
    assert not (tmp_path / "cache").exists()


def test_bench_with_the_anchor_refuses_before_measuring_anything(tmp_path):
    with pytest.raises(CommandError, match=r"anchor is not at .*--anchor-dir"):
        call_command("bench", "--load-anchor", "--anchor-dir", str(tmp_path / "nowhere"))
