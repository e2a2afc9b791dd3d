"""Authentication events go to the audit log; MFA enrolment counts as passing the factor."""

import time

from allauth.account.internal.flows.login import record_authentication
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import audit, metrics
from .constants import AuditAction
from .language import remember_account_language
from .middleware import SESSION_LAST_SEEN, SESSION_STARTED


@receiver(user_logged_in)
def on_login(sender, request, user, **kwargs):
    audit.record(AuditAction.LOGIN, actor=user, request=request)
    if request is not None and hasattr(request, "session"):
        # The absolute session timeout counts from here.
        request.session[SESSION_STARTED] = request.session[SESSION_LAST_SEEN] = time.time()
        remember_account_language(request, user)


@receiver(user_logged_out)
def on_logout(sender, request, user, **kwargs):
    if user is not None:
        audit.record(AuditAction.LOGOUT, actor=user, request=request)


@receiver(user_login_failed)
def on_login_failed(sender, credentials, request=None, **kwargs):
    # The attempted email is not stored: it may be a typo of a password.
    audit.record(AuditAction.LOGIN_FAILED, request=request)
    metrics.login_failed("password")


@receiver(authenticator_added)
def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    audit.record(AuditAction.MFA_ADDED, actor=user, request=request, type=authenticator.type)
    # Enrolling proved possession of the factor just now.
    if request is not None and authenticator.type != "recovery_codes":
        record_authentication(request, user, "mfa", type=authenticator.type, id=authenticator.pk)


@receiver(authenticator_removed)
def on_authenticator_removed(sender, request, user, authenticator, **kwargs):
    audit.record(AuditAction.MFA_REMOVED, actor=user, request=request, type=authenticator.type)
