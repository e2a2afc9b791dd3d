import time

from allauth.account.authentication import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db.models.expressions import RawSQL
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import audit
from .constants import AuditAction
from .counting import Capped
from .models import Membership, Notification
from .redaction import redact_text

SESSION_STARTED = "weerbaar_session_started"
SESSION_LAST_SEEN = "weerbaar_last_seen"
SESSION_MFA_DENIAL_LOGGED = "weerbaar_mfa_denial_logged"
SESSION_ACTIVE_MEMBERSHIP = "weerbaar_active_membership"


def memberships_with_unread(user_id):
    """The memberships in force now of user ``user_id``, each annotated with the user's
    number of unread notifications."""
    unread = RawSQL(_UNREAD_SQL, (user_id,))  # noqa: S611 (constant SQL, the id a parameter)
    return Membership.objects.in_force_for(user_id).annotate(unread_notifications=unread)


def hold_memberships(user, memberships):
    """Keep ``memberships`` (read by ``memberships_with_unread``) on ``user`` for this
    request: ``user.active_memberships``, and ``user.unread_on_load``, the unread count, or
    None when the user holds no membership (no row to carry it)."""
    for membership in memberships:
        membership.user = user
    user.__dict__["active_memberships"] = memberships
    user.unread_on_load = (
        Capped(memberships[0].unread_notifications, UNREAD_CAP) if memberships else None
    )


def load_memberships(user):
    """``user.active_memberships`` and the number of unread notifications in one query, fresh
    for every request: an ended membership stops access and a new notification shows at the
    next request. Returns the unread count (``user.unread_on_load``). ``PortalBackend`` does
    the same in the query that reads the user."""
    hold_memberships(user, list(memberships_with_unread(user.pk)))
    return user.unread_on_load


# The unread badge counts up to this and reads "meer dan 99" beyond it: the sweeps' reminders
# give a busy griffier thousands of unread notifications at national scale (1 178 at scale
# 1), and counting every one of them on every request grew with the data (issue 25 §2).
UNREAD_CAP = 99

# Notification.objects.unread_for(user).count(), up to UNREAD_CAP + 1, as a scalar subquery
# that does not depend on the membership row, so PostgreSQL counts once (an InitPlan on
# notification_unread_kind_idx that stops after UNREAD_CAP + 1 entries). Raw SQL because
# compiling the same as a Subquery costs more Python than a query of its own.
_UNREAD_SQL = (
    "SELECT COUNT(*) FROM (SELECT 1 "  # noqa: S608 (no user input)
    f'FROM "{Notification._meta.db_table}" WHERE "recipient_id" = %s AND "read_at" IS NULL '
    f"LIMIT {UNREAD_CAP + 1}) AS unread"
)


class PortalUserMiddleware:
    """Loads what every page of a signed-in user needs (memberships, the unread badge) in one
    query before the other middleware ask for it, unless ``PortalBackend`` read them with
    the user; ``request.unread_count`` is None when it could not be counted on the way (the
    context processor then counts itself)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.unread_count = None
        if request.user.is_authenticated:
            # The user itself, not the lazy wrapper around it, holds the cached memberships.
            user = getattr(request.user, "_wrapped", request.user)
            if "active_memberships" not in user.__dict__:
                load_memberships(user)
            request.unread_count = getattr(user, "unread_on_load", None)
        return self.get_response(request)


def session_has_mfa(request):
    return any(r.get("method") == "mfa" for r in get_authentication_records(request, request.user))


class SessionTimeoutMiddleware:
    """Ends a session after inactivity (shorter for staff roles) and after an absolute
    maximum, whatever the activity."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            now = time.time()
            started = request.session.setdefault(SESSION_STARTED, now)
            last_seen = request.session.get(SESSION_LAST_SEEN, started)
            idle = (
                settings.SESSION_IDLE_TIMEOUT_STAFF
                if user.requires_mfa
                else settings.SESSION_IDLE_TIMEOUT_OTHER
            )
            if now - last_seen > idle or now - started > settings.SESSION_ABSOLUTE_TIMEOUT:
                logout(request)
                messages.info(request, _("Uw sessie is verlopen. Log opnieuw in."))
                return redirect(f"{reverse('account_login')}?{urlencode({'next': request.path})}")
            if now - last_seen > 15 or SESSION_LAST_SEEN not in request.session:
                request.session[SESSION_LAST_SEEN] = now
        return self.get_response(request)


class MFARequiredMiddleware:
    """A user whose role requires a second factor reaches no page (the admin included) until
    the session has passed one: without an authenticator they go to enrolment, with one to
    the MFA step."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_prefixes = (
            "/accounts/2fa/",
            "/accounts/reauthenticate/",
            "/accounts/logout/",
            "/static/",
            "/i18n/",
        )

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and user.requires_mfa
            and not request.path.startswith(self.open_prefixes)
            and not session_has_mfa(request)
        ):
            if not request.session.get(SESSION_MFA_DENIAL_LOGGED):
                # The audit log is a log too: an invitation or feed path is kept without its token.
                path = redact_text(request.path)[:100]
                audit.record(AuditAction.MFA_REQUIRED, request=request, path=path)
                request.session[SESSION_MFA_DENIAL_LOGGED] = True
            target = "mfa_reauthenticate" if is_mfa_enabled(user) else "mfa_activate_totp"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.path})}")
        return self.get_response(request)


class ActiveMembershipMiddleware:
    """``request.membership``: the role the user acts in now (chosen in the header)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.membership = None
        if request.user.is_authenticated:
            memberships = request.user.active_memberships
            chosen = request.session.get(SESSION_ACTIVE_MEMBERSHIP)
            request.membership = next(
                (m for m in memberships if m.pk == chosen), memberships[0] if memberships else None
            )
        return self.get_response(request)


class NoStoreMiddleware:
    """Nothing of this portal but static files may be kept in a browser or proxy cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(settings.STATIC_URL):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        return response
