"""The notifications outbox: queue in the business transaction, deliver in a sweep.

``notify`` only writes a row; it is safe to call inside any transaction and idempotent per
``dedupe_key``. ``deliver_pending`` delivers due rows one by one (email, and Web Push where
the producer asked for it). Each row is first claimed in a committed step of its own (row
lock with SKIP LOCKED, then status SENDING), so two workers never send the same row, then
sent, then marked sent. A crash in between leaves the row claimed; a later run sends it again
with the same ``Message-ID``. A failing mail server leaves the row pending with a later
``next_attempt_at`` (exponential backoff); nothing is dropped.

Texts are worded in the recipient's language (the account's choice, else Dutch), not in the
language of whoever caused the notification: a producer passes them lazily
(``gettext_lazy``) and they are made strings here, per recipient. The email around them is
rendered in the same language when it is sent. Addresses without an account get Dutch.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

import structlog
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.functional import Promise

from .constants import NotificationStatus
from .models import Notification, User
from .push import deliver_push

__all__ = [
    "Message",
    "backoff",
    "deliver_one",
    "deliver_pending",
    "email_address",
    "notify",
    "notify_batch",
    "notify_many",
    "register_attachment",
    "to_address",
]

log = structlog.get_logger(__name__)


# {attachment kind: render(reference) -> (filename, content, mimetype)}, filled by the apps
# (in their AppConfig.ready) so that the core imports none of them.
_ATTACHMENTS: dict[str, Callable] = {}


def register_attachment(kind, render):
    """Let outbox rows carry an attachment "``kind``:reference"; ``render(reference)``
    returns (filename, content, mimetype) when the email is sent."""
    _ATTACHMENTS[kind] = render


def _worded(text, language):
    """``text`` as a string in ``language`` (a lazy text is translated now)."""
    if not isinstance(text, Promise):
        return str(text)
    with translation.override(language):
        return str(text)


def _is_lazy(*texts):
    return any(isinstance(text, Promise) for text in texts)


def notify(recipient, *, kind, subject, body, link="", dedupe_key=None, push="", attachment=""):
    """Queue one notification. Subject, body and ``push`` (the text of a Web Push notice,
    empty for none) must not contain sensitive content."""
    if dedupe_key and Notification.objects.filter(dedupe_key=dedupe_key).exists():
        return None
    language = recipient.language_code if _is_lazy(subject, body, push) else None
    try:
        with transaction.atomic():
            return Notification.objects.create(
                recipient=recipient,
                kind=kind,
                subject=_worded(subject, language),
                body=_worded(body, language),
                link=link,
                dedupe_key=dedupe_key,
                push_text=_worded(push, language),
                attachment=attachment,
                next_attempt_at=timezone.now(),
            )
    except IntegrityError:
        # Raced with another writer of the same dedupe_key: theirs stands.
        return None


def email_address(email, *, kind, subject, body, secret_link="", dedupe_key=None):
    """Queue an email to an address without an account (an invitee). ``secret_link`` (a
    link that is a key) is stored encrypted and erased once the email went out; it is only
    ever in the email itself. Like ``notify``, no sensitive content."""
    row = to_address(
        email, kind=kind, subject=subject, body=body, secret_link=secret_link, dedupe_key=dedupe_key
    )
    row.save(force_insert=True)
    return row


def to_address(
    email, *, kind, subject, body, secret_link="", dedupe_key=None, link="", attachment=""
):
    """An unsaved ``email_address`` row, for writing many in one statement (also the rows
    ``notify_batch`` writes for ``Message.emails``)."""
    return Notification(
        email=email,
        kind=kind,
        subject=_worded(subject, settings.LANGUAGE_CODE),
        body=_worded(body, settings.LANGUAGE_CODE),
        link=link,
        secret_link=secret_link,
        dedupe_key=dedupe_key,
        attachment=attachment,
        next_attempt_at=timezone.now(),
    )


def notify_many(recipients, *, kind, subject, body, link="", dedupe_key=None, push=""):
    """Queue the same notification for several people (each deduplicated on their own)."""
    return notify_batch(
        [
            Message(
                recipients,
                kind=kind,
                subject=subject,
                body=body,
                link=link,
                dedupe_key=dedupe_key,
                push=push,
            )
        ]
    )


@dataclass
class Message:
    """One notification for several people, for ``notify_batch``. ``recipients`` are users
    or user ids; ``emails`` are addresses of people without an account (email only, no
    inbox or push)."""

    recipients: Iterable
    kind: str
    subject: str
    body: str
    link: str = ""
    dedupe_key: str | None = None
    # The text of a Web Push notice to the recipients' browsers; empty for none.
    push: str = ""
    emails: Iterable[str] = ()
    # The link in the emails to ``emails``: they have no account to log in with, so the
    # portal link is left out unless the page is open to them (a signed link).
    email_link: str = ""
    # "kind:reference" of an attachment rendered at sending (``register_attachment``).
    attachment: str = ""


def _email_key(address):
    """An address in a dedupe key, hashed: the key is short and not a list of addresses."""
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()[:16]


def _languages(messages):
    """{user id: language} of the recipients of ``messages`` with lazy texts. A recipient
    passed as a user with its row loaded costs nothing; the others (ids) are read in one
    query, only when there are any."""
    known, unknown = {}, set()
    for message in messages:
        if not _is_lazy(message.subject, message.body, message.push):
            continue
        for person in message.recipients:
            if "language" in getattr(person, "__dict__", ()):
                known[person.pk] = person.language_code
            else:
                unknown.add(getattr(person, "pk", person))
    unknown -= known.keys()
    if unknown:
        chosen = dict(
            User.objects.filter(pk__in=unknown).exclude(language="").values_list("pk", "language")
        )
        known.update({pk: chosen.get(pk) or settings.LANGUAGE_CODE for pk in unknown})
    return known


def notify_batch(messages):
    """Queue many messages (a sweep's chunk) in two statements whatever their number: which
    dedupe keys exist, then one insert (and, for lazy texts to people passed by id, their
    languages). Each person is deduplicated on their own key. A writer racing on one of the
    keys makes the insert fail; then each row is tried on its own, so theirs stands and the
    others are still queued."""
    now = timezone.now()
    messages = list(messages)
    for message in messages:
        message.recipients = list(message.recipients)
    languages = _languages(messages)
    rows, keys = [], set()
    for message in messages:
        worded = {}
        # Each person once per message, and each dedupe key once per batch.
        for user_id in dict.fromkeys(getattr(p, "pk", p) for p in message.recipients):
            key = f"{message.dedupe_key}:u{user_id}" if message.dedupe_key else None
            if key in keys:
                continue
            if key:
                keys.add(key)
            language = languages.get(user_id, settings.LANGUAGE_CODE)
            if language not in worded:
                worded[language] = [
                    _worded(text, language)
                    for text in (message.subject, message.body, message.push)
                ]
            subject, body, push = worded[language]
            rows.append(
                Notification(
                    recipient_id=user_id,
                    kind=message.kind,
                    subject=subject,
                    body=body,
                    link=message.link,
                    dedupe_key=key,
                    push_text=push,
                    attachment=message.attachment,
                    next_attempt_at=now,
                )
            )
        for address in dict.fromkeys(a.strip().lower() for a in message.emails if a.strip()):
            key = f"{message.dedupe_key}:e{_email_key(address)}" if message.dedupe_key else None
            if key in keys:
                continue
            if key:
                keys.add(key)
            rows.append(
                to_address(
                    address,
                    kind=message.kind,
                    subject=message.subject,
                    body=message.body,
                    link=message.email_link,
                    dedupe_key=key,
                    attachment=message.attachment,
                )
            )
    if keys:
        taken = set(
            Notification.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True)
        )
        rows = [r for r in rows if r.dedupe_key not in taken]
    if not rows:
        return []
    try:
        with transaction.atomic():
            return Notification.objects.bulk_create(rows)
    except IntegrityError:
        return [row for row in rows if _insert_one(row)]


def _insert_one(row):
    try:
        with transaction.atomic():
            row.pk = None
            row.save(force_insert=True)
    except IntegrityError:
        return False
    return True


def backoff(attempts):
    """1, 2, 4, ... minutes, capped at six hours."""
    return timedelta(minutes=min(2 ** max(attempts - 1, 0), 360))


def _render(notification):
    if notification.recipient_id is None and notification.secret_link:
        # An invitation: its own text and the one-time link, no login link.
        with translation.override(settings.LANGUAGE_CODE):
            return render_to_string("weerbaar/email/to_address.txt", {"notification": notification})
    recipient = notification.recipient
    with translation.override(recipient.language_code if recipient else settings.LANGUAGE_CODE):
        context = {
            "notification": notification,
            "recipient": notification.recipient,
            "site_url": settings.SITE_URL.rstrip("/"),
        }
        return render_to_string("weerbaar/email/notification.txt", context)


def _claim(pk, now):
    """Take a due row for this run, in its own committed transaction, before anything is
    sent. Another worker skips it (SKIP LOCKED now, status SENDING after the commit) until
    the lease runs out; only a run that died holds a claim that long."""
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=pk)
            .due(now)
            .first()
        )
        if notification is None:
            return None
        notification.status = NotificationStatus.SENDING
        notification.attempts += 1
        notification.claimed_at = now
        notification.next_attempt_at = now + timedelta(seconds=settings.NOTIFICATION_SEND_LEASE)
        notification.save(update_fields=["status", "attempts", "claimed_at", "next_attempt_at"])
    return notification


def _claimed(notification):
    """The row, as long as this run's claim holds (not taken over after the lease)."""
    return Notification.objects.filter(
        pk=notification.pk,
        status=NotificationStatus.SENDING,
        attempts=notification.attempts,
    )


def _renderer(notification):
    """The function that renders the row's attachment. An unregistered kind raises (a
    bug, not a transport failure): the row is recorded as a sweep failure and not sent
    without what it promises."""
    kind, _sep, reference = notification.attachment.partition(":")
    return _ATTACHMENTS[kind], reference


def _attachments(notification):
    if not notification.attachment:
        return []
    render, reference = _renderer(notification)
    # None: the referenced object is gone; the mail still goes, without it.
    attachment = render(reference)
    return [attachment] if attachment else []


def _email(notification):
    EmailMessage(
        subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{notification.subject}",
        body=_render(notification),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.address],
        headers={"Message-ID": notification.message_id},
        attachments=_attachments(notification),
    ).send()


def _mark_emailed(notification, now):
    """Committed at once: a later failure of a push must not send the email again."""
    notification.emailed_at = now
    _claimed(notification).update(emailed_at=now, secret_link="")


def _finish(notification, now, errors):
    if not errors:
        _claimed(notification).update(status=NotificationStatus.SENT, sent_at=now, last_error="")
        return True
    error = ", ".join(errors)[:300]
    if notification.attempts >= settings.NOTIFICATION_MAX_ATTEMPTS:
        _claimed(notification).update(status=NotificationStatus.FAILED, last_error=error)
    else:
        _claimed(notification).update(
            status=NotificationStatus.PENDING,
            next_attempt_at=now + backoff(notification.attempts),
            last_error=error,
        )
    log.warning("notification.failed", id=notification.pk, attempts=notification.attempts)
    return False


def deliver_one(pk, *, now=None):
    """Send one due notification: claim (committed), send, mark. Returns True when this call
    completed it.

    A crash after the mail server accepted and before the mark leaves the row claimed; when
    the lease runs out a later run sends it again with the same ``Message-ID``, which the
    receiving side recognises. Email and each push subscription are marked done on their
    own, so a retry repeats only what failed."""
    now = now or timezone.now()
    notification = _claim(pk, now)
    if notification is None:
        return False
    errors = []
    if notification.emailed_at is None:
        if notification.attachment:
            _renderer(notification)
        try:
            _email(notification)
        except Exception as exc:  # any transport failure: keep the row, try again later
            errors.append(type(exc).__name__)
        else:
            _mark_emailed(notification, now)
    if notification.push_text:
        errors += deliver_push(notification, now=now)
    return _finish(notification, now, errors)


DELIVERY_SWEEP = "deliver-notifications"


def _held_back(now):
    """Rows whose delivery raised (a bug, a corrupt row: not a transport failure, which
    ``_finish`` backs off) and whose sweep back-off has not passed, and all open ones."""
    from .models import SweepFailure

    failing = SweepFailure.objects.open().filter(
        sweep=DELIVERY_SWEEP, object_type=Notification._meta.label_lower
    )
    held, open_ids = set(), set()
    for object_id, next_attempt_at in failing.values_list("object_id", "next_attempt_at"):
        open_ids.add(int(object_id))
        if next_attempt_at > now:
            held.add(int(object_id))
    return held, open_ids


def deliver_pending(*, now=None, limit=None):
    """Deliver every due notification; returns the number sent.

    One row cannot stop the others: a row whose delivery raises is recorded as a sweep
    failure (the functioneel beheerder is told once), held back with the sweep runner's
    back-off and tried again then; its failure closes when it is delivered. A lost database
    connection stops the run, as in every sweep: the next run carries on."""
    # weerbaar.sweeps alerts through this module, so it is imported here, not at the top.
    from . import sweeps

    now = now or timezone.now()
    limit = limit or settings.NOTIFICATION_BATCH_SIZE
    held, failing = _held_back(now)
    due = list(
        Notification.objects.due(now)
        .exclude(pk__in=held)
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
    sent = 0
    for pk in due:
        try:
            done = deliver_one(pk, now=now)
        except sweeps.TRANSIENT:
            raise
        except Exception as error:  # this row's fault: recorded, the others go on
            sweeps.record_failure(
                sweep=DELIVERY_SWEEP, obj=(Notification, pk), error=error, now=now
            )
            continue
        sent += done
        if done and pk in failing:
            sweeps.record_success(sweep=DELIVERY_SWEEP, obj=(Notification, pk), now=now)
    return sent
