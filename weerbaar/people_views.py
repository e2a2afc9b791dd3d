"""The people page of an organisation (issue 20 §3): who holds which role, from when and
until when, and ending roles — one by one, or after an election for everyone who was not
re-elected. For its griffier and secretaris (each their own organisations) and the
functioneel beheerder (any organisation). A membership elsewhere is a 404 (audited), and
a forged id in a list is never ended: what is ended is always re-read within the
organisation shown.

Every step that ends something shows what will happen first and ends only on the
confirmation; a form with errors comes back with everything as typed."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from . import memberships, term_of_office
from .access import get_visible_or_404
from .constants import POSITIONS_BY_KIND, OrganisationKind, Position, Role
from .models import Membership, Organisation
from .people_forms import ElectionForm, EndForm

__all__ = ["people", "people_cancel_end", "people_election", "people_end"]

# Appointed, not elected: left out of the election list unless asked for.
APPOINTED = frozenset({Position.BURGEMEESTER, Position.CDK})


def _managed(user):
    """The organisations whose people ``user`` may end, or None for none."""
    if user.has_role(Role.FUNCTIONEEL_BEHEERDER):
        return Organisation.objects.all()
    ids = user.organisations_with_role(Role.GRIFFIER, Role.SECRETARIS)
    return Organisation.objects.filter(pk__in=ids) if ids else None


def _organisation(request, managed):
    """The organisation asked for (``?organisatie=<code>``), or the only one managed; None
    when a choice is still to make. A code outside what the user manages is a 404."""
    code = request.GET.get("organisatie") or request.POST.get("organisatie")
    if code:
        organisation = managed.filter(code=code).first()
        if organisation is None:
            raise Http404
        return organisation
    only = list(managed[:2])
    return only[0] if len(only) == 1 else None


def _people_url(organisation):
    return f"{reverse('people')}?organisatie={organisation.code}"


@login_required
def people(request):
    managed = _managed(request.user)
    if managed is None:
        raise PermissionDenied
    organisation = _organisation(request, managed)
    context = {"organisation": organisation, "managed": managed.order_by("kind", "name")}
    if organisation is not None:
        context["rows"] = list(term_of_office.in_office(organisation))
    return render(request, "weerbaar/people.html", context)


def _managed_membership(request, pk):
    """A membership in force of an organisation whose people the user manages, or 404."""
    managed = _managed(request.user)
    if managed is None:
        raise PermissionDenied
    queryset = Membership.objects.active().select_related("user", "organisation")
    membership = get_visible_or_404(request, queryset, pk=pk)
    if not managed.filter(pk=membership.organisation_id).exists():
        # Visible as the user's own, in an organisation whose people they do not manage.
        raise Http404
    return membership


@login_required
@require_POST
def people_cancel_end(request, pk):
    membership = _managed_membership(request, pk)
    try:
        memberships.cancel_end(membership=membership, actor=request.user, http_request=request)
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request,
            _("Het geplande einde van de rol van %(name)s is ingetrokken.")
            % {"name": membership.user.get_full_name()},
        )
    return redirect(_people_url(membership.organisation))


@login_required
def people_end(request, pk):
    membership = _managed_membership(request, pk)
    form = EndForm(request.POST or None, membership=membership)
    context = {"membership": membership, "form": form, "step": "form"}
    if request.method == "POST" and form.is_valid() and not request.POST.get("wijzigen"):
        at = term_of_office.end_moment(form.cleaned_data["until"])
        immediate = form.cleaned_data["until"] <= timezone.localdate()
        warn = term_of_office.leaves_without_receiver([membership], at)
        form = EndForm(request.POST, membership=membership, needs_ack=warn)
        context.update(form=form, warn=warn, at=at, immediate=immediate, step="confirm")
        if form.is_valid() and request.POST.get("bevestigen"):
            try:
                memberships.end(
                    membership=membership,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                    at=at,
                    former=form.cleaned_data.get("former"),
                    http_request=request,
                )
            except PermissionDenied:
                raise Http404 from None
            done = (
                _("De rol van %(name)s is beëindigd.")
                if immediate
                else _("Het einde van de rol van %(name)s is gepland.")
            )
            messages.success(request, done % {"name": membership.user.get_full_name()})
            return redirect(_people_url(membership.organisation))
    return render(request, "weerbaar/people_end.html", context)


def _office_holders(organisation, positions):
    """The office holders of ``positions`` with no end planned yet."""
    return list(
        term_of_office.in_office(organisation).filter(
            role=Role.OFFICE_HOLDER, position__in=positions, valid_until__isnull=True
        )
    )


@login_required
def people_election(request):
    managed = _managed(request.user)
    if managed is None:
        raise PermissionDenied
    organisation = _organisation(request, managed)
    if organisation is None:
        return redirect("people")
    offered = POSITIONS_BY_KIND[OrganisationKind(organisation.kind)]
    chosen = [p for p in request.GET.getlist("functie") if p in offered] or [
        p for p in offered if p not in APPOINTED
    ]
    candidates = _office_holders(organisation, chosen)
    form = ElectionForm(request.POST or None, candidates=candidates)
    context = {
        "organisation": organisation,
        "offered": [(p, Position(p).label, p in chosen) for p in offered],
        "chosen": chosen,
        "form": form,
        "candidates": candidates,
        "staying_ids": set(request.POST.getlist("staying")),
        "step": "form",
    }
    if request.method == "POST" and form.is_valid() and not request.POST.get("wijzigen"):
        at = term_of_office.end_moment(form.cleaned_data["until"])
        leaving = form.cleaned_data["leaving"]
        immediate = form.cleaned_data["until"] <= timezone.localdate()
        warn = term_of_office.leaves_without_receiver(leaving, at)
        form = ElectionForm(request.POST, candidates=candidates, needs_ack=warn)
        context.update(
            form=form,
            at=at,
            warn=warn,
            leaving=leaving,
            immediate=immediate,
            staying=[m for m in candidates if m not in leaving],
            step="confirm",
        )
        previewed = set(request.POST.getlist("stopt"))
        if form.is_valid() and request.POST.get("bevestigen"):
            if previewed != {str(m.pk) for m in leaving}:
                messages.warning(request, _("De lijst is intussen veranderd. Kijk hem opnieuw na."))
            else:
                _end_all(request, leaving, form.cleaned_data, at)
                messages.success(
                    request,
                    ngettext(
                        "De rol van %(count)d persoon wordt beëindigd.",
                        "De rollen van %(count)d personen worden beëindigd.",
                        len(leaving),
                    )
                    % {"count": len(leaving)},
                )
                return redirect(_people_url(organisation))
    return render(request, "weerbaar/people_election.html", context)


def _end_all(request, leaving, data, at):
    with transaction.atomic():
        for membership in leaving:
            memberships.end(
                membership=membership,
                actor=request.user,
                reason=data["reason"] or "verkiezingen",
                at=at,
                former=data.get("former"),
                http_request=request,
            )
