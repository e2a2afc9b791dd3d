"""The plan PostgreSQL chooses for a statement: for tests that a sweep's read uses its
partial index (``EXPLAIN``, not ``ANALYZE``: nothing is run)."""

import json

from django.db import connection

__all__ = ["plan_nodes"]


def plan_nodes(sql):
    """Every node of the plan of ``sql`` (as captured, its values in the text)."""
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        plan = cursor.fetchone()[0]
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return list(_walk(plan[0]["Plan"]))


def _walk(node):
    yield node
    for child in node.get("Plans", ()):
        yield from _walk(child)
