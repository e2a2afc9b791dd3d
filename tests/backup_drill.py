"""The restore drill's probe, run as its own process against one database (DATABASE_URL):

    python tests/backup_drill.py state            what was done, and every encrypted value
    python tests/backup_drill.py sweep <iso time> every periodic job once, at that time
    python tests/backup_drill.py without-records <iso time>
                                                  the same without the records of acting,
                                                  rolled back: what they prevent

Each prints one JSON object. ``state`` gives rows of the records of acting (escalations,
reminders, notifications sent) and, per encrypted column, how many values the ORM decrypted
with the keys in force and a sha256 over them, so two databases can be compared without
printing their content."""

import hashlib
import json
import os
import sys
from datetime import datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.core import mail  # noqa: E402
from django.utils.module_loading import import_string  # noqa: E402

from incidents.models import JobRecord  # noqa: E402
from otwb.models import SweepRecord as OtwbSweepRecord  # noqa: E402
from veiligwonen.models import SweepRecord as VwSweepRecord  # noqa: E402
from weerbaar.constants import NotificationStatus  # noqa: E402
from weerbaar.fields import encrypted_fields  # noqa: E402
from weerbaar.models import Notification, SweepRun  # noqa: E402

# The heartbeat writes only to the cache: it is not a job over the data.
SKIPPED = {"weerbaar.tasks.record_heartbeat"}
DELIVERY = "weerbaar.tasks.deliver_notifications"


def _acted():
    return {
        "incidents_jobrecords": JobRecord.objects.count(),
        "veiligwonen_sweeprecords": VwSweepRecord.objects.count(),
        "otwb_sweeprecords": OtwbSweepRecord.objects.count(),
        "notifications": Notification.objects.count(),
        "notifications_sent": Notification.objects.filter(status=NotificationStatus.SENT).count(),
    }


def state():
    decrypted = {}
    for model, field in encrypted_fields():
        digest, n = hashlib.sha256(), 0
        values = model._base_manager.order_by("pk").values_list("pk", field.name)
        for pk, value in values.iterator(chunk_size=500):
            if value in (None, "", b""):
                continue
            if not isinstance(value, bytes):
                value = json.dumps(value, sort_keys=True, default=str).encode()
            digest.update(f"{pk}:".encode() + value)
            n += 1
        decrypted[f"{model._meta.label}.{field.name}"] = [n, digest.hexdigest()]
    return {"acted": _acted(), "decrypted": decrypted}


def sweep(at):
    import time_machine

    mail.outbox = []
    results = {}
    with time_machine.travel(datetime.fromisoformat(at), tick=True):
        # Delivery last, so what the other jobs queue now is sent in this run.
        entries = sorted(
            settings.CELERY_BEAT_SCHEDULE.items(),
            key=lambda item: (item[1]["task"] == DELIVERY, item[0]),
        )
        for name, entry in entries:
            if entry["task"] in SKIPPED:
                continue
            import_string(entry["task"]).run()
            run = SweepRun.objects.filter(sweep=name).first()
            results[name] = run.last_acted if run else None
    return {"acted_per_sweep": results, "mails": len(mail.outbox), "after": _acted()}


def without_records(at):
    """The jobs at ``at`` as if the records of acting were not there, rolled back after: what
    they would do again if a restore lost those records (delivery left out: no mail)."""
    import time_machine
    from django.db import transaction

    acted = {}
    with time_machine.travel(datetime.fromisoformat(at), tick=True), transaction.atomic():
        for model in (JobRecord, VwSweepRecord, OtwbSweepRecord):
            model.objects.all().delete()
        for name, entry in sorted(settings.CELERY_BEAT_SCHEDULE.items()):
            if entry["task"] in SKIPPED or entry["task"] == DELIVERY:
                continue
            import_string(entry["task"]).run()
            run = SweepRun.objects.filter(sweep=name).first()
            acted[name] = run.last_acted if run else None
        transaction.set_rollback(True)
    return {"acted_per_sweep": acted}


COMMANDS = {"state": state, "sweep": sweep, "without-records": without_records}

if __name__ == "__main__":
    command, *args = sys.argv[1:]
    result = COMMANDS[command](*args)
    print(json.dumps(result, sort_keys=True))
