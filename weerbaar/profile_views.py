"""The organisation's profile page: its own griffier and secretaris keep it at
``/organisatie/`` (the organisation of the role they act in) or
``/organisaties/<code>/profiel/`` (a link from a case names the organisation), the
functioneel beheerder any organisation's at the latter. Anyone else gets a 404, and an
attempt on an existing organisation is audited."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import audit, profiles, seats
from .constants import AuditAction, OrganisationKind, SeatSource
from .models import Organisation
from .profile_forms import ProfileForm, seat_field_name

__all__ = ["organisation_profile", "own_profile"]


def _own_organisation(request):
    """The organisation whose profile the user keeps: that of the role they act in now, else
    the first where they are griffier or secretaris."""
    editing = [m for m in request.user.active_memberships if m.role in profiles.EDITOR_ROLES]
    current = getattr(request, "membership", None)
    if current is not None and current in editing:
        return current.organisation
    return editing[0].organisation if editing else None


@login_required
def own_profile(request):
    organisation = _own_organisation(request)
    if organisation is None:
        raise Http404
    return _edit(request, organisation, reverse("organisation_profile"))


@login_required
def organisation_profile(request, code):
    organisation = get_object_or_404(
        Organisation.objects.exclude(kind=OrganisationKind.NATIONAL), code=code
    )
    if not profiles.can_edit_profile(request.user, organisation=organisation):
        audit.record(AuditAction.ACCESS_DENIED, request=request, obj=organisation)
        raise Http404
    return _edit(request, organisation, request.path)


def _edit(request, organisation, here):
    profile = profiles.profile_for(organisation)
    known = seats.seats_of(organisation)
    form = ProfileForm(request.POST or None, request.FILES or None, profile=profile, seats=known)
    if request.method == "POST" and form.is_valid():
        changed = profiles.update_profile(
            organisation=organisation,
            actor=request.user,
            values=form.values(),
            logo=form.cleaned_data.get("logo"),
            remove_logo=form.cleaned_data.get("remove_logo", False),
            request=request,
        )
        changed += seats.update_seats(
            organisation=organisation,
            actor=request.user,
            values=form.seat_values(),
            request=request,
        )
        if changed:
            messages.success(request, _("Het profiel is opgeslagen."))
        else:
            messages.info(request, _("Er was niets gewijzigd."))
        return redirect(here)
    header = profiles.document_header(organisation)
    return render(
        request,
        "weerbaar/organisation_profile.html",
        {
            "organisation": organisation,
            "profile": profile,
            "form": form,
            "header": header,
            "missing": profiles.missing_for_aangifte(organisation),
            "from_reference": {
                *profile.from_reference,
                *(seat_field_name(p) for p, s in known.items() if s.source == SeatSource.REFERENCE),
            },
        },
        status=400 if request.method == "POST" else 200,
    )
