import json as jsonlib
import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse

from perf.bench import actors, anchor, compare, pages, phone, ratio, report, sweeps
from perf.bench.loadtest import run_load

BASELINE = Path(__file__).resolve().parents[2] / "bench" / "baseline.json"


class Command(BaseCommand):
    help = (
        "Measure server time and queries of the main pages and of every periodic sweep on "
        "load data (seed_load first), plus a short gunicorn load test on loopback."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale-label", default="?", help="what to call this data set")
        parser.add_argument("--repeat", type=int, default=30)
        parser.add_argument(
            "--due-repeat", type=int, default=3, help="runs of each sweep with 1 000 due"
        )
        parser.add_argument("--json", default="", help="append the results to this file")
        parser.add_argument("--skip", nargs="*", default=[], choices=["pages", "sweeps", "load"])
        parser.add_argument(
            "--only",
            nargs="*",
            default=[],
            help="measure only the pages and sweeps whose name contains one of these words",
        )
        parser.add_argument(
            "--phone",
            action="store_true",
            help="also load the main pages in Chromium throttled like a slow phone "
            "(bytes, requests, FCP, LCP; first and repeat visit)",
        )
        parser.add_argument(
            "--phone-only",
            action="store_true",
            help="only the phone measurement (no pages, sweeps or load test)",
        )
        parser.add_argument("--phone-runs", type=int, default=3, help="runs of each phone visit")
        parser.add_argument(
            "--databases",
            default="",
            help="compare the working pages on these load databases (comma-separated, "
            "smallest scale first) in one run, request by request in turns; --scale-label "
            "then names them (comma-separated, e.g. 1,10). No sweeps or load test.",
        )
        parser.add_argument(
            "--no-vacuum", action="store_true", help="skip the VACUUM ANALYZE at the start"
        )
        parser.add_argument("--load-seconds", type=int, default=25)
        parser.add_argument("--load-threads", type=int, default=8)
        parser.add_argument(
            "--load-runs",
            type=int,
            default=None,
            help="load tests in a row (default 3); the median by requests/s is reported (a "
            "shared machine's speed varies from minute to minute). With --load-anchor: "
            "rounds of portal then anchor (default 2)",
        )
        parser.add_argument(
            "--load-anchor",
            action="store_true",
            help="run the django-helpdesk anchor's load test in turns with the portal's "
            "(prepared once: virtualenv, database, 100 000 tickets), report both, the "
            "ratios, and the regression against --baseline",
        )
        parser.add_argument("--anchor-dir", default=None, help="default ../shared/anchors/helpdesk")
        parser.add_argument(
            "--anchor-cache",
            default=str(anchor.default_cache()),
            help="where the anchor's virtualenv is made, once (default "
            "~/.cache/weerbaar-anchor; not a world-writable directory: its Python is run)",
        )
        parser.add_argument("--anchor-db", default="hd100k", help="the anchor's database")
        parser.add_argument("--baseline", default=str(BASELINE))
        parser.add_argument(
            "--save-baseline",
            action="store_true",
            help="write this run's portal/anchor figures to --baseline",
        )

    def handle(
        self,
        *args,
        scale_label,
        repeat,
        due_repeat,
        json,
        skip,
        only,
        load_seconds,
        load_threads,
        load_runs,
        phone_only,
        phone_runs,
        **options,
    ):
        log = self.stdout.write
        helpdesk = None
        if options["load_anchor"]:
            try:
                helpdesk = anchor.HelpdeskAnchor(
                    options["anchor_dir"] or anchor.default_anchor_dir(),
                    options["anchor_cache"],
                    options["anchor_db"],
                    log=log,
                )
            except anchor.AnchorMissing as exc:
                raise CommandError(str(exc)) from exc
        if load_runs is None:
            load_runs = 2 if helpdesk else 3
        if phone_only:
            skip = ["pages", "sweeps", "load"]
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark runs on PostgreSQL only.")
        if repeat < 1 or load_runs < 1:
            raise CommandError("--repeat and --load-runs must be at least 1")
        if helpdesk and "load" in skip:
            raise CommandError("--load-anchor runs with the load test: do not --skip load")
        if options["databases"]:
            self._compare(options["databases"], scale_label, repeat, only, json, options)
            return
        env = report.environment(scale_label)
        try:
            cast = actors.cast()
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        results, load, phone_results, anchored = [], None, None, None
        if not {"pages", "sweeps", "load"} <= set(skip) and not options["no_vacuum"]:
            self._vacuum(log)
        if "pages" not in skip:
            log("Pages:")
            results += pages.measure_pages(cast, repeat, log=log, only=only)
        # The load test before the sweeps: the sweeps' runs with 1 000 due are rolled back
        # and leave dead rows and index entries behind, which the pages would then read.
        if "load" not in skip:
            log("Load test:")
            if helpdesk:
                helpdesk.prepare()
            runs, anchor_runs = [], []
            for _ in range(load_runs):
                runs.append(
                    run_load(self._mix(cast), duration=load_seconds, threads=load_threads, log=log)
                )
                if helpdesk:
                    anchor_runs.append(
                        helpdesk.run_load(duration=load_seconds, threads=load_threads)
                    )
            if helpdesk:
                anchored = self._anchored(
                    runs, anchor_runs, env, options, load_seconds, load_threads
                )
            load = sorted(runs, key=lambda run: run["rps"])[len(runs) // 2]
            load = {
                **load,
                "runs_rps": [run["rps"] for run in runs],
                "errors_all_runs": sum(run["errors"] for run in runs),
            }
        if options["phone"] or phone_only:
            log("Phone:")
            phone_results = phone.measure_phone(cast, runs=phone_runs, log=log)
        if "sweeps" not in skip:
            log("Sweeps:")
            results += sweeps.measure_sweeps(repeat, due_repeat, log=log, only=only)
        self.stdout.write("")
        if results:
            self.stdout.write(report.table(results, env))
        if phone_results:
            self.stdout.write("\n" + phone.table(phone_results))
        if load:
            self.stdout.write(
                f"\nLoad ({load['workers']} gunicorn workers, {load['threads']} client threads, "
                f"{load['seconds']} s): {load['rps']} req/s, p50 {load['p50_ms']} ms, "
                f"p95 {load['p95_ms']} ms, {load['errors']} errors of {load['requests']}"
            )
            if len(load["runs_rps"]) > 1:
                self.stdout.write(
                    f"Median of {len(load['runs_rps'])} runs (req/s: "
                    f"{', '.join(f'{rps:g}' for rps in load['runs_rps'])}; errors in all runs: "
                    f"{load['errors_all_runs']})"
                )
            cpu = [
                f"{load[f'{part}_cpu_ms']} ms in {where}"
                for part, where in (
                    ("server", "the gunicorn workers"),
                    ("database", "PostgreSQL"),
                    ("client", "the client"),
                )
                if f"{part}_cpu_ms" in load
            ]
            if cpu:
                self.stdout.write(f"CPU per request: {', '.join(cpu)}")
        if anchored:
            self.stdout.write("\n" + anchored.pop("table"))
        if json:
            report.write_json(json, env, results, load, phone_results, anchored)

    def _anchored(self, runs, anchor_runs, env, options, duration, threads):
        """The portal against the anchor, and the regression check against the baseline
        (read before this run's figures may replace it)."""
        comparison = ratio.compare(runs, anchor_runs)
        verdict = ratio.check(comparison, ratio.read_baseline(options["baseline"]))
        if options["save_baseline"]:
            ratio.write_baseline(options["baseline"], ratio.baseline_record(comparison, env))
        return {
            **comparison,
            "portal_runs": runs,
            "anchor_runs": anchor_runs,
            "check": verdict,
            "load_average_after": os.getloadavg(),
            "table": ratio.table(comparison, verdict, duration=duration, threads=threads),
        }

    def _compare(self, databases, scale_label, repeat, only, json_path, options):
        names = [name.strip() for name in databases.split(",") if name.strip()]
        labels = [label.strip() for label in scale_label.split(",")]
        if len(names) < 2:
            raise CommandError("--databases needs at least two database names")
        if len(labels) != len(names):
            labels = names
        # With --json - the output is the JSON alone; progress goes to stderr.
        log = self.stderr.write if json_path == "-" else self.stdout.write
        scales = compare.open_scales(names, labels)
        try:
            for scale in scales:
                with scale.active():
                    if not options["no_vacuum"]:
                        log(f"{scale.database}:")
                        self._vacuum(log)
            env = report.environment(",".join(labels))
            log("Pages:")
            try:
                rows = compare.compare_pages(scales, repeat, only=only, log=log)
            except LookupError as exc:
                raise CommandError(str(exc)) from exc
            env["load_average_after"] = os.getloadavg()
        finally:
            for scale in scales:
                scale.close()
        data = report.comparison_data(rows, scales, env)
        if json_path == "-":
            self.stdout.write(jsonlib.dumps(data, indent=2, ensure_ascii=False))
            return
        self.stdout.write("\n" + report.comparison_table(rows, scales, env))
        if json_path:
            report.append_json(json_path, {"comparison": data})

    def _vacuum(self, log):
        """``VACUUM ANALYZE`` first: a previous run's rolled-back sweeps leave dead rows and
        index entries (a queue index read 3 638 entries for 342 live rows) and stale
        statistics, and autovacuum would otherwise clean them up during this run."""
        started = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        log(f"VACUUM ANALYZE: {time.monotonic() - started:.1f} s")

    def _mix(self, cast):
        """The mixed traffic of the load test: triage, reporter, Veilig Wonen and OTWB."""
        dash = reverse("incidents:dashboard")
        griffier = [dash, dash + "?status=closed&category=threat", dash + "?page=2"]
        if cast.melding_id:
            griffier.append(reverse("incidents:case", args=[cast.melding_id]))
        intake = [reverse("veiligwonen:queue")]
        if cast.application_id:
            intake.append(reverse("veiligwonen:detail", args=[cast.application_id]))
        coordinator = [reverse("otwb:coverage")]
        if cast.session_id:
            coordinator.append(reverse("otwb:planner", args=[cast.session_id]))
        return [
            (cast.griffier, griffier),
            (cast.raadslid, [reverse("incidents:mine")]),
            (cast.intake, intake),
            (cast.coordinator, coordinator),
        ]
