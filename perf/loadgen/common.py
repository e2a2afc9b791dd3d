"""What every generator shares: the plan (scale, seed, now), per-row random streams, the
skew over organisations, batched inserts and the marker that makes seeding idempotent.

Each generated row ``i`` of a kind draws from its own ``random.Random(f"{seed}:{kind}:{i}")``,
so row ``i`` is the same whether it was made in one run or in a later top-up. How many
rows of a kind exist is recorded as append-only audit rows (object type
``weerbaar.loadgen``), written in the transaction of each batch: a crashed run resumes at
the last complete batch, and a second run with the same scale adds nothing.
"""

import contextlib
import random
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.db.models import IntegerField, Max
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils import timezone

from weerbaar.constants import AuditAction, OrganisationKind
from weerbaar.models import AuditEvent, Organisation
from weerbaar.seeding import LOAD_EMAIL_DOMAIN

__all__ = [
    "BATCH",
    "EMAIL_DOMAIN",
    "MARKER_TYPE",
    "Plan",
    "batched",
    "generated",
    "historic_timestamps",
    "row_rng",
]

# Where the load data's people are: weerbaar.seeding tells them from real people by it.
EMAIL_DOMAIN = LOAD_EMAIL_DOMAIN
# The package's old name (it lived in weerbaar/ until issue 25 §4), kept: databases seeded
# before the move top up instead of seeding everything a second time.
MARKER_TYPE = "weerbaar.loadgen"
BATCH = 2000

# The largest gemeenten by population, largest first; the rest follow in a seeded order.
BIG_CITIES = (
    "GM0363",  # Amsterdam
    "GM0599",  # Rotterdam
    "GM0518",  # 's-Gravenhage
    "GM0344",  # Utrecht
    "GM0772",  # Eindhoven
    "GM0014",  # Groningen
    "GM0855",  # Tilburg
    "GM0034",  # Almere
    "GM0758",  # Breda
    "GM0268",  # Nijmegen
    "GM0202",  # Arnhem
    "GM0392",  # Haarlem
    "GM0153",  # Enschede
    "GM0200",  # Apeldoorn
    "GM0479",  # Zaanstad
)


def row_rng(seed, kind, index):
    return random.Random(f"{seed}:{kind}:{index}")  # noqa: S311 (reproducible, not secret)


@dataclass
class Plan:
    scale: float
    seed: int = 20261128
    now: datetime = field(default_factory=timezone.now)
    log: object = print

    def count(self, base):
        return round(base * self.scale)

    @property
    def organisations(self):
        if not hasattr(self, "_orgs"):
            self._orgs = list(
                Organisation.objects.exclude(kind=OrganisationKind.NATIONAL)
                .select_related("province")
                .order_by("code")
            )
        return self._orgs

    def national(self, code):
        return Organisation.objects.get(code=code)

    @property
    def weights(self):
        """Zipf-like weight per organisation (code → weight): the big cities first, then
        the other gemeenten in a seeded order; provincies and waterschappen in between."""
        if not hasattr(self, "_weights"):
            rng = random.Random(self.seed)  # noqa: S311 (reproducible, not secret)
            codes = [o.code for o in self.organisations]
            gemeenten = [c for c in codes if c.startswith("GM") and c not in BIG_CITIES]
            rng.shuffle(gemeenten)
            others = [c for c in codes if not c.startswith("GM")]
            rng.shuffle(others)
            ranked = [c for c in BIG_CITIES if c in codes]
            # Provincies and waterschappen rank like mid-sized gemeenten.
            rest = gemeenten[:]
            for n, code in enumerate(others):
                rest.insert(20 + n * 6, code)
            ranked += rest
            self._weights = {code: 1 / (rank + 1) ** 0.85 for rank, code in enumerate(ranked)}
        return self._weights

    def size_factor(self, org):
        """0..1: how large ``org`` is relative to the largest (drives seat counts)."""
        top = max(self.weights.values())
        return (self.weights[org.code] / top) ** 0.5


def generated(kind):
    """How many rows of ``kind`` earlier runs made."""
    return (
        AuditEvent.objects.filter(object_type=MARKER_TYPE, object_id=kind).aggregate(
            n=Max(Cast(KT("detail__to"), IntegerField()))
        )["n"]
        or 0
    )


def batched(plan, kind, target, make_batch, batch=BATCH):
    """Call ``make_batch(start, stop)`` for the rows of ``kind`` not made yet, each batch in
    its own transaction together with its marker. Returns how many rows were added."""
    done = generated(kind)
    start = done
    while start < target:
        stop = min(start + batch, target)
        with transaction.atomic():
            make_batch(start, stop)
            AuditEvent.objects.create(
                action=AuditAction.CREATE,
                object_type=MARKER_TYPE,
                object_id=kind,
                detail={"from": start, "to": stop, "seed": plan.seed},
                created_at=timezone.now(),
            )
        start = stop
        plan.log(f"  {kind}: {stop}/{target}")
    return max(target - done, 0)


@contextlib.contextmanager
def historic_timestamps(*fields):
    """Let bulk inserts keep the historic times we give instead of ``auto_now_add``'s now
    (load data spans years). Only this process, only inside the block."""
    saved = [(f, f.auto_now_add) for f in fields]
    for f, _ in saved:
        f.auto_now_add = False
    try:
        yield
    finally:
        for f, value in saved:
            f.auto_now_add = value
