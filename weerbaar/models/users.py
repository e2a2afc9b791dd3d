from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from ..access import ScopedQuerySet
from ..constants import (
    POSITION_ROLES,
    ROLES_WITHOUT_MFA_REQUIREMENT,
    Position,
    Role,
    position_title,
    role_title,
)
from ..fields import EncryptedTextField


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("email is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person. What they may do comes from their memberships, never from flags here;
    ``is_staff``/``is_superuser`` only open the Django admin for the functioneel beheerder."""

    email = models.EmailField(_("e-mailadres"), unique=True)
    full_name = models.CharField(_("naam"), max_length=200, blank=True)
    # For a triager who must reach a reporter quickly; encrypted, never shown in lists.
    phone = EncryptedTextField(_("telefoonnummer"), blank=True)
    is_active = models.BooleanField(_("actief"), default=True)
    is_staff = models.BooleanField(_("beheerder"), default=False)
    date_joined = models.DateTimeField(_("aangemaakt"), default=timezone.now)
    # The language the person chose with the language switch while signed in (one of
    # settings.LANGUAGES); blank is the default, Dutch. It follows them to a new device
    # (``weerbaar.language``) and is the language of what the portal sends them.
    language = models.CharField(_("taal"), max_length=8, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    class Meta:
        verbose_name = _("gebruiker")
        verbose_name_plural = _("gebruikers")

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name or self.email

    @property
    def language_code(self):
        """The language to address this person in: their choice, else Dutch."""
        return self.language or settings.LANGUAGE_CODE

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @cached_property
    def active_memberships(self):
        """The memberships in force now, with their organisations; read once per request."""
        return list(Membership.objects.in_force_for(self.pk))

    def has_role(self, *roles, organisation=None):
        return any(
            m.role in roles and (organisation is None or m.organisation_id == organisation.pk)
            for m in self.active_memberships
        )

    def organisations_with_role(self, *roles):
        return [m.organisation_id for m in self.active_memberships if m.role in roles]

    @property
    def requires_mfa(self):
        """Everyone except office holders and civil servants must use a second factor;
        so must anyone who may enter the admin."""
        if self.is_staff or self.is_superuser:
            return True
        return any(m.role not in ROLES_WITHOUT_MFA_REQUIREMENT for m in self.active_memberships)


# Set only by ``weerbaar.memberships`` while it writes; every other write of a membership
# (a view, the admin, a command, a fixture) raises instead of silently granting a role.
_service_writing = ContextVar("membership_service_writing", default=False)


class MembershipWriteRefused(RuntimeError):
    """A membership was written outside ``weerbaar.memberships``."""


@contextmanager
def membership_service_write():
    """Open the door for ``weerbaar.memberships`` (and only it: a test greps for callers)."""
    token = _service_writing.set(True)
    try:
        yield
    finally:
        _service_writing.reset(token)


def _check_service_write():
    if not _service_writing.get():
        raise MembershipWriteRefused(
            "memberships are created, changed and ended only by weerbaar.memberships"
        )


class MembershipQuerySet(ScopedQuerySet):
    def scope_q(self, user):
        """Your own memberships; griffier/secretaris see their organisation's people; the
        functioneel beheerder sees everyone."""
        if user.has_role(Role.FUNCTIONEEL_BEHEERDER):
            return Q()
        orgs = user.organisations_with_role(Role.GRIFFIER, Role.SECRETARIS)
        return Q(user=user) | Q(organisation_id__in=orgs)

    def update(self, **kwargs):
        _check_service_write()
        return super().update(**kwargs)

    def delete(self):
        _check_service_write()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        _check_service_write()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        _check_service_write()
        return super().bulk_update(objs, *args, **kwargs)

    def in_force_for(self, user_id):
        """User ``user_id``'s memberships in force now, with their organisations."""
        return (
            self.active()
            .filter(user_id=user_id)
            .select_related("organisation", "organisation__province")
            .order_by("pk")
        )

    def active(self, at=None):
        at = at or timezone.now()
        return self.filter(
            Q(valid_from__lte=at),
            Q(valid_until__isnull=True) | Q(valid_until__gt=at),
            user__is_active=True,
        )


class Membership(models.Model):
    """Ties a user to an organisation with a role, for a period. A user may hold several."""

    user = models.ForeignKey(
        User, verbose_name=_("gebruiker"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        "weerbaar.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("rol"), max_length=32, choices=Role.choices)
    position = models.CharField(_("functie"), max_length=32, choices=Position.choices, blank=True)
    valid_from = models.DateTimeField(_("geldig vanaf"), default=timezone.now)
    valid_until = models.DateTimeField(_("geldig tot"), null=True, blank=True)
    # The term of office (``weerbaar.term_of_office``): whether an office holder may go on
    # reporting as a former one after the end, when the end was recorded (audited, exactly
    # once, by the sweep at or after ``valid_until``), and when the holder was told of it.
    former_after_end = models.BooleanField(_("daarna oud-ambtsdrager"), default=True)
    ended_recorded_at = models.DateTimeField(_("einde vastgelegd"), null=True, blank=True)
    end_notice_at = models.DateTimeField(_("einde aangekondigd"), null=True, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        indexes = [
            models.Index(fields=["organisation", "role"]),
            # The holders of a national role (the Veilig Wonen queue's advisers and their
            # capacity): that role's few rows, not a scan of every membership, which grow
            # with the organisations' people (issue 25 §2).
            models.Index(fields=["role", "user"], name="membership_role_idx"),
            # The term-of-office sweeps read only ends not yet recorded.
            models.Index(
                fields=["valid_until"],
                condition=Q(valid_until__isnull=False, ended_recorded_at__isnull=True),
                name="membership_end_unrecorded",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=sorted(POSITION_ROLES), position__gt="")
                | (~Q(role__in=sorted(POSITION_ROLES)) & Q(position="")),
                name="membership_position_only_for_position_roles",
            ),
        ]

    def __str__(self):
        return f"{self.label}, {self.organisation}"

    def save(self, *args, **kwargs):
        _check_service_write()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _check_service_write()
        return super().delete(*args, **kwargs)

    @property
    def label(self):
        """The position, or the role as the organisation calls it (a waterschap's secretaris
        is its secretaris-directeur)."""
        if self.position:
            return position_title(self.role, self.position)
        if self.organisation_id is None:
            return self.get_role_display()
        return str(role_title(self.role, self.organisation.kind))
