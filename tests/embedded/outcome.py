"""What the embedded portal holds after the load, read from its SQLite file and its mail
folder: the meldingen, and whether each notification was emailed exactly once."""

import email
import email.policy
import sqlite3
from collections import Counter
from pathlib import Path

__all__ = ["emails_sent", "meldingen", "notifications", "pending_notifications"]

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def _connect(var_dir):
    return sqlite3.connect(f"file:{Path(var_dir) / 'db.sqlite3'}?mode=ro", uri=True, timeout=30)


def meldingen(var_dir):
    """{pk: (status, severity, attachments, notes)}"""
    with _connect(var_dir) as db:
        rows = db.execute(
            "SELECT m.id, m.status, m.severity,"
            " (SELECT COUNT(*) FROM incidents_attachment a WHERE a.melding_id = m.id),"
            " (SELECT COUNT(*) FROM incidents_internalnote n WHERE n.melding_id = m.id)"
            " FROM incidents_melding m"
        ).fetchall()
    return {pk: rest for pk, *rest in rows}


def pending_notifications(var_dir):
    with _connect(var_dir) as db:
        return db.execute(
            "SELECT COUNT(*) FROM weerbaar_notification WHERE status = 'pending'"
        ).fetchone()[0]


def notifications(var_dir, site_url):
    """Counter of (status, to, subject, link as in the email) of every notification."""
    with _connect(var_dir) as db:
        rows = db.execute(
            "SELECT n.status, u.email, n.subject, n.link FROM weerbaar_notification n"
            " JOIN weerbaar_user u ON u.id = n.recipient_id"
        ).fetchall()
    return Counter(
        (status, to, f"[Weerbaar Bestuur] {subject}", site_url + link)
        for status, to, subject, link in rows
    )


def emails_sent(var_dir, site_url):
    """Counter of (to, subject, link) of every email in the mail folder (Django's file
    backend: one file per connection, messages separated by a line of dashes)."""
    found = Counter()
    for path in sorted((Path(var_dir) / "mail").glob("*.log")):
        for raw in path.read_bytes().split(SEPARATOR):
            if not raw.strip():
                continue
            message = email.message_from_bytes(raw, policy=email.policy.default)
            # The text part; a mail with an .ics attached is multipart.
            body = message.get_body(preferencelist=("plain",)).get_content()
            link = next(line.strip() for line in body.splitlines() if line.startswith(site_url))
            found[(str(message["To"]), str(message["Subject"]), link)] += 1
    return found
