"""Who may see what: deny by default, scope by query.

Every model that holds something not everyone may see gets a queryset that subclasses
``ScopedQuerySet`` and implements ``scope_q(user)``: one ``Q`` built from the user's
active memberships. ``visible_to(user)`` ORs that with the explicit per-object grants of
django-guardian (direct foreign-key permission models, named on the model as
``object_permission_model``). Views fetch objects only through ``visible_to`` or
``get_visible_or_404``; anything outside the scope is a 404, never a 403, so a guessed id
reveals nothing.
"""

from django.apps import apps
from django.db import models
from django.db.models import Q
from django.http import Http404

from .constants import AuditAction

__all__ = [
    "EVERYTHING",
    "NOTHING",
    "ScopedQuerySet",
    "get_visible_or_404",
    "grant_q",
    "user_is_active",
]

NOTHING = Q(pk__in=[])
# "Everything", spelled so that OR-ing it keeps it (``Q() | q`` is just ``q`` in Django).
# ``visible_to`` does not filter at all for it: a condition ``id IS NOT NULL`` would keep
# PostgreSQL from answering counts from a partial index alone.
EVERYTHING = Q(pk__isnull=False)


def user_is_active(user):
    return user is not None and user.is_authenticated and user.is_active


def grant_q(model, user, codename=None):
    """Objects of ``model`` shared with ``user`` explicitly through guardian."""
    label = getattr(model, "object_permission_model", None)
    if not label:
        return NOTHING
    perm_model = apps.get_model(label)
    codename = codename or f"view_{model._meta.model_name}"
    granted = perm_model.objects.filter(user=user, permission__codename=codename).values(
        "content_object_id"
    )
    return Q(pk__in=granted)


class ScopedQuerySet(models.QuerySet):
    # True when ``scope_q`` follows a to-many relation, so that one object can match more
    # than once: ``visible_to`` then returns each once (DISTINCT), except for "everything".
    scope_repeats_rows = False

    def scope_q(self, user) -> Q:
        """The objects ``user`` may see through their memberships. Override per model."""
        return NOTHING

    def visible_to(self, user):
        if not user_is_active(user):
            return self.none()
        scope = self.scope_q(user)
        if not scope or scope == EVERYTHING:
            # An empty Q() means "everything" too; OR-ed with anything Django would drop it.
            return self.all()
        visible = self.filter(scope | grant_q(self.model, user))
        return visible.distinct() if self.scope_repeats_rows else visible


def get_visible_or_404(request, queryset, **lookup):
    """The object, if the user may see it; otherwise 404, with the attempt audited when the
    object exists (a guessed or forged id)."""
    if isinstance(queryset, type) and issubclass(queryset, models.Model):
        queryset = queryset._default_manager.all()
    try:
        return queryset.visible_to(request.user).get(**lookup)
    except queryset.model.DoesNotExist:
        denied = queryset.filter(**lookup).first()
        if denied is not None:
            from . import audit

            audit.record(AuditAction.ACCESS_DENIED, request=request, obj=denied)
        raise Http404 from None
