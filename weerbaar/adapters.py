from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter

from . import crypto

TOTP_CONTEXT = "allauth.mfa.totp"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        """Accounts come by invitation only."""
        return False


class MFAAdapter(DefaultMFAAdapter):
    """TOTP secrets are stored encrypted with the field encryption keys."""

    def encrypt(self, text):
        return crypto.encrypt_text(text, context=TOTP_CONTEXT)

    def decrypt(self, encrypted_text):
        return crypto.decrypt_text(encrypted_text, context=TOTP_CONTEXT)
