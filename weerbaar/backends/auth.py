"""Authentication backend: allauth's, with the signed-in user of each request read together
with their memberships and unread count.

Django reads the user of a request by id (``ModelBackend.get_user``) and the portal then
reads the memberships and the unread badge (``weerbaar.middleware.load_memberships``): two
queries on every page. The memberships query already joins the user table (only active
users hold active memberships), so it returns the user as well and one query does both.
A user without an active membership (a staff account, say) is read as before. Django still
checks the session against the user's password hash afterwards (``auth.get_user``)."""

from allauth.account.auth_backends import AuthenticationBackend

from ..middleware import hold_memberships, memberships_with_unread

__all__ = ["PATH", "PortalBackend"]

PATH = "weerbaar.backends.auth.PortalBackend"


class PortalBackend(AuthenticationBackend):
    def get_user(self, user_id):
        memberships = list(memberships_with_unread(user_id).select_related("user"))
        if not memberships:
            return super().get_user(user_id)
        user = memberships[0].user
        hold_memberships(user, memberships)
        return user if self.user_can_authenticate(user) else None
