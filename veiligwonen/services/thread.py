"""Documents and the message thread of an application. Files arrive already checked and
cleaned by ``weerbaar.uploads``; messages notify the other side without any content."""

from django.db import transaction
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from weerbaar import audit
from weerbaar.constants import AuditAction, Role

from ..access import can_upload, in_thread
from ..constants import DocumentKind, TimelineKind
from ..models import Document, Message, ThreadRead
from ..timeline_texts import line
from ..workflow import TransitionNotAllowed
from .base import intake_officers, lock, notify_people, timeline

__all__ = [
    "add_document",
    "mark_thread_read",
    "post_message",
    "thread_with_read_state",
    "with_new_messages",
]


def add_document(application, *, actor, kind, filename, content_type, data, request=None):
    kind = DocumentKind(kind)
    with transaction.atomic():
        app = lock(application)
        if not can_upload(actor, app, kind):
            raise TransitionNotAllowed(
                _("U kunt dit soort document niet bij deze aanvraag voegen."), field="kind"
            )
        document = Document.objects.create(
            application=app,
            kind=kind,
            uploaded_by=actor,
            filename=filename,
            content_type=content_type,
            size=len(data),
            data=data,
        )
        timeline(app, actor=actor, kind=TimelineKind.DOCUMENT, text=line("document", k=kind.value))
        audit.record(
            AuditAction.CREATE,
            actor=actor,
            obj=app,
            request=request,
            organisation=app.organisation,
            document=document.pk,
            kind=kind.value,
        )
        return document


def _side(user, app):
    if user.pk == app.applicant_id:
        return line("message.applicant")
    if user.has_role(Role.VW_INTAKE):
        return line("message.bzk")
    return line("message.adviser")


def post_message(application, *, actor, body, request=None):
    """Add a message; everyone else in the thread hears that there is one (not what it
    says): the applicant, the intake officer of the case (all intake officers while nobody
    has claimed it) and the assigned adviser."""
    body = body.strip()
    if not body:
        raise TransitionNotAllowed(_("Typ eerst uw bericht."), field="body")
    with transaction.atomic():
        app = lock(application)
        if not in_thread(actor, app):
            raise TransitionNotAllowed(_("U neemt geen deel aan de berichten van deze aanvraag."))
        message = Message.objects.create(application=app, author=actor, body=body)
        timeline(app, actor=actor, kind=TimelineKind.MESSAGE, text=_side(actor, app))
        audit.record(
            AuditAction.CREATE,
            actor=actor,
            obj=app,
            request=request,
            organisation=app.organisation,
            message=message.pk,
        )
        bzk = [app.intake_officer] if app.intake_officer_id else intake_officers()
        staff = [u for u in [*bzk, app.adviser] if u and u.pk != actor.pk]
        from_applicant = actor.pk == app.applicant_id
        notify_people(
            staff,
            app,
            kind="message",
            anchor="#berichten",
            subject=gettext_lazy("Nieuw bericht bij een aanvraag Veilig Wonen"),
            body=gettext_lazy(
                "De aanvrager heeft een bericht gestuurd bij een aanvraag Veilig Wonen. Log in "
                "om het te lezen."
            )
            if from_applicant
            else gettext_lazy(
                "Er is een nieuw bericht bij een aanvraag Veilig Wonen. Log in om het te lezen."
            ),
        )
        if not from_applicant:
            notify_people(
                [app.applicant],
                app,
                kind="message",
                anchor="#berichten",
                subject=gettext_lazy("Nieuw bericht bij uw aanvraag Veilig Wonen"),
                body=gettext_lazy(
                    "Er is een nieuw bericht bij uw aanvraag Veilig Wonen. Log in om het te lezen."
                ),
            )
        _mark(app, actor, message.created_at)
        return message


def _mark(application, user, when):
    # One INSERT ... ON CONFLICT DO UPDATE instead of a locked read and a write.
    ThreadRead.objects.bulk_create(
        [ThreadRead(application=application, user=user, read_at=when)],
        update_conflicts=True,
        unique_fields=["application", "user"],
        update_fields=["read_at"],
    )


def thread_with_read_state(application, user):
    """The thread's messages with their authors, each with ``is_new``: by someone else and
    newer than what ``user`` last read, computed in the same query."""
    read_at = ThreadRead.objects.filter(application=application, user=user).values("read_at")[:1]
    return (
        application.messages.select_related("author")
        .annotate(seen=Subquery(read_at))
        .annotate(
            is_new=ExpressionWrapper(
                ~Q(author=user) & (Q(seen__isnull=True) | Q(created_at__gt=F("seen"))),
                output_field=BooleanField(),
            )
        )
    )


def with_new_messages(applications, user):
    """``applications`` with ``has_new_messages``: a message by someone else after ``user``
    last read the thread (in the same query; whether ``user`` is in the thread at all is
    ``access.in_thread``)."""
    read_at = ThreadRead.objects.filter(application=OuterRef("application"), user=user).values(
        "read_at"
    )[:1]
    newer = (
        Message.objects.filter(application=OuterRef("pk"))
        .exclude(author=user)
        .annotate(seen=Subquery(read_at))
        .filter(Q(seen__isnull=True) | Q(created_at__gt=F("seen")))
    )
    return applications.annotate(has_new_messages=Exists(newer))


def mark_thread_read(application, user, now=None):
    _mark(application, user, now or timezone.now())
