from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from weerbaar.access import get_visible_or_404
from weerbaar.constants import OrganisationKind, Role
from weerbaar.models import Organisation

from .. import services
from ..access import is_coordinator
from ..constants import RegistrationStatus
from ..errors import Refused
from ..forms import RegistrationForm
from ..models import Registration, Session
from ..services.registrations import DRIEHOEK_FIELDS


def _organisations_for(user):
    """The gemeenten this person may register: their own as griffier; any for the coordinator."""
    gemeenten = Organisation.objects.filter(kind=OrganisationKind.GEMEENTE, is_active=True)
    if is_coordinator(user):
        return gemeenten.order_by("name")
    return gemeenten.filter(pk__in=user.organisations_with_role(Role.GRIFFIER)).order_by("name")


def _prefill(user, organisations):
    """The signed-in griffier as the driehoek's griffier, and the burgemeester and
    secretaris their gemeente named last time: typed once, not at every session."""
    if not user.has_role(Role.GRIFFIER):
        return {}
    initial = {"griffier_name": user.full_name, "griffier_email": user.email}
    own = list(organisations[:2])
    if len(own) == 1:
        last = (
            Registration.objects.filter(organisation=own[0])
            .order_by("-created_at", "-pk")
            .values(*DRIEHOEK_FIELDS)
            .first()
        )
        if last:
            initial |= {f: last[f] for f in DRIEHOEK_FIELDS if not f.startswith("griffier")}
    return initial


@login_required
def register(request, pk):
    session = get_visible_or_404(request, Session, pk=pk)
    organisations = _organisations_for(request.user)
    if not session.takes_registrations or not organisations.exists():
        raise Http404
    form = RegistrationForm(
        request.POST or None,
        organisations=organisations,
        initial=_prefill(request.user, organisations),
    )
    if request.method == "POST" and form.is_valid():
        try:
            registration = services.register_driehoek(
                session,
                form.cleaned_data["organisation"],
                people=form.people(),
                actor=request.user,
            )
        except Refused as exc:
            form.add_error(None, str(exc))
        else:
            if registration.status == RegistrationStatus.CONFIRMED:
                messages.success(
                    request,
                    _("Uw driehoek is aangemeld. Zet de sessie in uw agenda met het .ics-bestand."),
                )
            else:
                messages.warning(
                    request,
                    _(
                        "De sessie is vol. Uw driehoek staat op de wachtlijst; komt er een plaats "
                        "vrij, dan krijgt u bericht."
                    ),
                )
            return redirect("otwb:session_detail", pk=session.pk)
    return render(request, "otwb/registration_form.html", {"session": session, "form": form})


@login_required
@require_POST
def registration_cancel(request, pk):
    registration = get_visible_or_404(request, Registration, pk=pk)
    allowed = is_coordinator(request.user) or request.user.has_role(
        Role.GRIFFIER, organisation=registration.organisation
    )
    if not allowed:
        raise Http404
    services.cancel_registration(registration, actor=request.user)
    messages.success(request, _("De aanmelding is ingetrokken."))
    return redirect("otwb:session_detail", pk=registration.session_id)
