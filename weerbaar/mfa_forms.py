"""allauth's code forms (login and reauthentication) with the per-account back-off and
lockout of ``weerbaar.mfa_throttle`` in front of the code check."""

from allauth.core import context
from allauth.mfa.base import forms as allauth_forms
from django.core.exceptions import ValidationError

from . import mfa_throttle

__all__ = ["AuthenticateForm", "ReauthenticateForm"]


class ThrottledCodeMixin:
    def clean_code(self):
        result = {}

        def validate():
            try:
                result["code"] = super(ThrottledCodeMixin, self).clean_code()
            except ValidationError as error:
                result["error"] = error
                # allauth's own rate limit refuses without looking at the code: no guess.
                return False if error.code == "incorrect_code" else None
            return True

        refusal = mfa_throttle.check_code(self.user, validate=validate, request=context.request)
        if refusal:
            raise ValidationError(refusal, code="mfa_throttled")
        if "error" in result:
            raise result["error"]
        return result["code"]


class AuthenticateForm(ThrottledCodeMixin, allauth_forms.AuthenticateForm):
    pass


class ReauthenticateForm(ThrottledCodeMixin, allauth_forms.ReauthenticateForm):
    pass
