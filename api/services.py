"""The one write path of API clients: asked for, approved (four eyes), refused, revoked and
given a new secret only here, each step audited in its own transaction.

The secret exists in plain text only in the return value of ``approve`` and ``new_secret``:
the screen shows it once and django-oauth-toolkit stores only its hash."""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, get_application_model

from webhooks.services import cancel_undelivered
from weerbaar import audit
from weerbaar.constants import AuditAction, OrganisationKind, Role
from weerbaar.models import User
from weerbaar.notifications import notify_many

from .constants import CLIENT_ROLES, NATIONAL_CLIENT_ROLES, ROLE_SCOPES, ClientStatus, Scope
from .models import ApiClient
from .rules import approver_ids, may_approve, may_manage, may_request

__all__ = ["approve", "new_secret", "refuse", "request", "revoke"]


def _locked(client):
    return (
        ApiClient.objects.select_for_update(of=("self",))
        .select_related("organisation", "account")
        .get(pk=client.pk)
    )


def _audit(action, client, *, actor, http_request, step):
    audit.record(
        action,
        actor=actor,
        obj=client,
        request=http_request,
        organisation=client.organisation,
        step=step,
        scopes=list(client.scopes),
        role=client.role,
    )


def request(*, requested_by, organisation, name, role, scopes, http_request=None):
    """Ask for a client; it does nothing until a second person approves it."""
    if not may_request(requested_by, organisation=organisation):
        raise PermissionDenied
    role = Role(role)
    if role not in CLIENT_ROLES:
        raise ValidationError(_("Een koppeling kan niet werken als deze rol."), code="role")
    if NATIONAL_CLIENT_ROLES.get(role) != (
        organisation.code if organisation.kind == OrganisationKind.NATIONAL else None
    ):
        raise ValidationError(
            _("Deze rol hoort niet bij deze organisatie."), code="role_organisation"
        )
    scopes = sorted(set(scopes))
    if not scopes or any(s not in Scope.values for s in scopes):
        raise ValidationError(_("Kies ten minste één geldig recht."), code="scopes")
    if not set(scopes) <= ROLE_SCOPES[role]:
        raise ValidationError(
            _("Een koppeling met deze rol kan niet alle gekozen rechten krijgen: %(scopes)s.")
            % {"scopes": ", ".join(sorted(set(scopes) - ROLE_SCOPES[role]))},
            code="role_scopes",
        )
    with transaction.atomic():
        account = User.objects.create_user(
            f"api-{uuid.uuid4().hex}@koppeling.invalid",
            password=None,
            full_name=_("API-koppeling %(name)s") % {"name": name},
            is_active=False,
        )
        client = ApiClient.objects.create(
            name=name,
            organisation=organisation,
            role=role,
            scopes=scopes,
            account=account,
            requested_by=requested_by,
            requested_at=timezone.now(),
        )
        _audit(
            AuditAction.CREATE,
            client,
            actor=requested_by,
            http_request=http_request,
            step="request",
        )
        _tell_approvers(client)
    return client


def _tell_approvers(client):
    """In the outbox with the request, as a role request tells its approvers; no content."""
    notify_many(
        approver_ids(client),
        kind="api.client_request",
        subject=_("Een API-koppeling wacht op uw goedkeuring"),
        body=_(
            "Iemand heeft een API-koppeling voor %(organisation)s aangevraagd. Die werkt pas "
            "als een tweede persoon haar goedkeurt. Log in om de aanvraag te bekijken."
        )
        % {"organisation": client.organisation.name},
        link=reverse("api_clients:detail", args=[client.pk]),
        dedupe_key=f"api-client-request:{client.pk}",
    )


def _fresh_secret(client):
    """A new secret for the client's application (made on first use); returns it in plain
    text, once. Every token of the old secret stops working."""
    secret = generate_client_secret()
    application = client.application
    if application is None:
        application = get_application_model()(
            name=f"api-client-{client.pk}",
            user=client.account,
            client_type="confidential",
            authorization_grant_type="client-credentials",
            hash_client_secret=True,
        )
    else:
        AccessToken.objects.filter(application=application).delete()
    application.client_secret = secret
    application.save()
    if client.application_id != application.pk:
        client.application = application
        client.save(update_fields=["application"])
    return secret


def _decide(approver, client, status):
    """The second person's decision on a pending client, inside the caller's transaction:
    the row locked, the four eyes checked, the status and who decided when recorded."""
    client = _locked(client)
    if client.status != ClientStatus.PENDING:
        raise ValidationError(_("Over deze koppeling is al besloten."), code="decided")
    if client.requested_by_id == approver.pk:
        raise PermissionDenied(_("U kunt uw eigen aanvraag niet goedkeuren of weigeren."))
    if not may_approve(approver, client):
        raise PermissionDenied
    client.status = status
    client.decided_by = approver
    client.decided_at = timezone.now()
    client.save(update_fields=["status", "decided_by", "decided_at"])
    return client


def approve(*, approver, client, http_request=None):
    """The second person's approval: the client becomes active. Returns ``(client,
    secret)``; the secret is shown once and never stored in plain text."""
    with transaction.atomic():
        client = _decide(approver, client, ClientStatus.ACTIVE)
        User.objects.filter(pk=client.account_id).update(is_active=True)
        secret = _fresh_secret(client)
        _audit(AuditAction.GRANT, client, actor=approver, http_request=http_request, step="approve")
    return client, secret


def refuse(*, approver, client, http_request=None):
    with transaction.atomic():
        client = _decide(approver, client, ClientStatus.REFUSED)
        _audit(AuditAction.UPDATE, client, actor=approver, http_request=http_request, step="refuse")
    return client


def revoke(*, actor, client, http_request=None):
    """End the client now: its application and every token go, its account is switched
    off, its webhooks' undelivered messages are cancelled. The client row stays, so the
    audit log still names it."""
    with transaction.atomic():
        client = _locked(client)
        if not may_manage(actor, client):
            raise PermissionDenied
        if client.status == ClientStatus.REVOKED:
            return client
        if client.application_id:
            get_application_model().objects.filter(pk=client.application_id).delete()
        client.application = None
        client.status = ClientStatus.REVOKED
        client.revoked_by = actor
        client.revoked_at = timezone.now()
        client.save(update_fields=["application", "status", "revoked_by", "revoked_at"])
        User.objects.filter(pk=client.account_id).update(is_active=False)
        _audit(AuditAction.REVOKE, client, actor=actor, http_request=http_request, step="revoke")
        # Its webhooks' messages not yet delivered go nowhere now: cancelled, for its owner
        # to see. (The delivery sweep also refuses any row of a client no longer active.)
        cancel_undelivered(client=client, actor=actor, http_request=http_request)
    return client


def new_secret(*, actor, client, http_request=None):
    """Rotate the secret of an active client (a lost or leaked one). Returns it, once."""
    with transaction.atomic():
        client = _locked(client)
        if not may_manage(actor, client):
            raise PermissionDenied
        if client.status != ClientStatus.ACTIVE:
            raise ValidationError(_("Deze koppeling is niet actief."), code="inactive")
        secret = _fresh_secret(client)
        _audit(AuditAction.UPDATE, client, actor=actor, http_request=http_request, step="secret")
    return secret
