import time

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.authentication import get_authentication_records
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings

from . import crypto

TOTP_CONTEXT = "allauth.mfa.totp"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Accounts come by invitation only."""
        return False

    def is_reauthentication_required(self, *, app, **kwargs):
        """Changing a second factor asks for the password again (ASVS 7.5.1) — except the
        very first enrolment straight after a password or SSO login, which is where the
        portal sends every staff member: asking twice in a minute helps nobody."""
        request = self.request
        if (
            app == "allauth.mfa"
            and request is not None
            and request.user.is_authenticated
            and not is_mfa_enabled(request.user)
        ):
            records = get_authentication_records(request, request.user)
            recent = [
                r
                for r in records
                if r.get("method") in ("password", "socialaccount")
                and time.time() - r.get("at", 0) < settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
            ]
            if recent:
                return False
        return super().is_reauthentication_required(app=app, **kwargs)

    def get_login_stages(self):
        """allauth's, with the MFA stage that accepts a trusted identity provider's proof of
        a second factor (weerbaar/sso/stages.py)."""
        return [
            "weerbaar.sso.stages.AuthenticateStage"
            if stage == "allauth.mfa.stages.AuthenticateStage"
            else stage
            for stage in super().get_login_stages()
        ]


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets are stored encrypted with the field encryption keys."""

    def encrypt(self, text):
        return crypto.encrypt_text(text, context=TOTP_CONTEXT)

    def decrypt(self, encrypted_text):
        return crypto.decrypt_text(encrypted_text, context=TOTP_CONTEXT)
