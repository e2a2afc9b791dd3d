"""What each working page's statements read (issue 25 §2): every SELECT a page issues,
captured as the benchmark's actor requests it, and its ``EXPLAIN (ANALYZE, BUFFERS)``:
shared buffers (8 kB pages) and rows, so that two scales can be put side by side.

``capture`` runs the pages (test client, inside a transaction that is rolled back) on a
database one may write to. ``replay`` runs the same statements on another database with
its own benchmark cast: the ids of the page's actor, its memberships and organisations, and
of the case, application and session are swapped for the other database's, and only
``EXPLAIN (ANALYZE, BUFFERS)`` of the SELECTs runs there, in a read-only transaction that is
rolled back, so a database being seeded or shared is not written to."""

import json

from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from .actors import cast as make_cast
from .pages import SCENARIOS, WORKING_PAGES, Rollback, _request

__all__ = ["capture", "explain", "replay"]

SKIPPED = ("monitor",)
# Statements of the request's machinery, not the page's: the same at every scale.
MACHINERY = ("django_session", "weerbaar_user_sessions")


def _pages(only=()):
    for scenario in SCENARIOS:
        if scenario.name not in WORKING_PAGES or any(s in scenario.name for s in SKIPPED):
            continue
        if only and not any(word in scenario.name for word in only):
            continue
        yield scenario


def _ids(cast, actor):
    """The values that name the page's actor and objects in this database."""
    from weerbaar.models import Membership

    user = getattr(cast, actor)
    ids = {"user": user.pk}
    for n, m in enumerate(Membership.objects.filter(user=user).order_by("pk")):
        ids[f"membership{n}"] = m.pk
        ids[f"organisation{n}"] = m.organisation_id
    for name in ("melding_id", "application_id", "session_id"):
        ids[name] = getattr(cast, name)
    return ids


class _Recorder:
    def __init__(self):
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append((sql, list(params) if params else []))
        return execute(sql, params, many, context)


def explain(sql, params):
    """(buffers, rows, ms, top nodes) of ``EXPLAIN (ANALYZE, BUFFERS)`` of one SELECT."""
    with connection.cursor() as cursor:
        cursor.execute("SAVEPOINT plans")
        try:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) {sql}", params)
            plan = cursor.fetchone()[0]
        finally:
            cursor.execute("ROLLBACK TO SAVEPOINT plans")
    plan = json.loads(plan) if isinstance(plan, str) else plan
    top = plan[0]["Plan"]
    buffers = top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0)
    return {
        "buffers": buffers,
        "rows": top.get("Actual Rows"),
        "ms": round(plan[0].get("Execution Time", 0), 3),
        "scans": sorted(set(_scans(top))),
    }


def _scans(node):
    if "Relation Name" in node or "Index Name" in node:
        yield f"{node['Node Type']} {node.get('Index Name') or node.get('Relation Name')}"
    for child in node.get("Plans", ()):
        yield from _scans(child)


def _selects(statements):
    for sql, params in statements:
        head = sql.lstrip().upper()
        if not (head.startswith("SELECT") or head.startswith("WITH")):
            continue
        if any(table in sql for table in MACHINERY):
            continue
        yield sql, params


def capture(only=()):
    """``[{page, actor, ids, statements: [{sql, params, plan}]}]`` on this database."""
    from .sessions import logged_in_client

    cast = make_cast()
    pages = []
    for scenario in _pages(only):
        url = scenario.url(cast)
        if url is None:
            continue
        recorder = _Recorder()
        try:
            with transaction.atomic():
                client = scenario.client(cast) if scenario.client else None
                client = client or logged_in_client(getattr(cast, scenario.actor))
                _request(client, scenario, url, None)  # warm: caches filled as in the bench
                with CaptureQueriesContext(connection) as ctx, connection.execute_wrapper(recorder):
                    _request(client, scenario, url, None)
                statements = [
                    {"sql": sql, "params": params, "plan": explain(sql, params)}
                    for sql, params in _selects(recorder.statements)
                ]
                raise Rollback
        except Rollback:
            pass
        pages.append(
            {
                "page": scenario.name,
                "actor": scenario.actor,
                "queries": len(ctx.captured_queries),
                "ids": _ids(cast, scenario.actor),
                "statements": statements,
            }
        )
    return pages


def replay(captured):
    """The statements of ``captured`` with this database's ids, explained read-only."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION READ ONLY")
        cast = make_cast()
        pages = []
        for page in captured:
            ids = _ids(cast, page["actor"])
            swap = {page["ids"][k]: ids.get(k) for k in page["ids"] if page["ids"][k] is not None}
            statements = []
            for st in page["statements"]:
                params = [_swap(p, swap) for p in st["params"]]
                try:
                    plan = explain(st["sql"], params)
                except DatabaseError as error:  # no such row or column in this database
                    plan = {"buffers": 0, "rows": None, "ms": 0, "scans": [f"failed: {error}"]}
                statements.append({**st, "params": params, "plan": plan})
            pages.append({**page, "ids": ids, "statements": statements})
        transaction.set_rollback(True)
    return pages


def _swap(value, swap):
    if isinstance(value, bool) or not isinstance(value, int | list | tuple):
        return value
    if isinstance(value, list | tuple):
        return type(value)(_swap(v, swap) for v in value)
    # Small numbers are limits and positions, not the ids of the load data.
    return swap.get(value, value) if value > 60 and value not in (101, 1001) else value
