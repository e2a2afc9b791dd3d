"""The invitation pages: one at a time, a whole list at once (check, correct, confirm), and
the invitations sent, with who has not accepted, resend and revoke. A griffier or
secretaris sees and acts on the invitations of their own organisations only (another's is
a 404); the functioneel beheerder on all."""

from contextlib import nullcontext

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from . import bulk_invitations as bulk
from . import invitations
from .access import get_visible_or_404
from .bulk_parsing import MAX_ROWS
from .constants import OrganisationKind, Role
from .forms import InvitationForm
from .models import Invitation, Organisation

INVITERS = (Role.GRIFFIER, Role.SECRETARIS, Role.FUNCTIONEEL_BEHEERDER)

STATUS_FILTERS = {
    "": gettext_lazy("Alle"),
    "niet-aanvaard": gettext_lazy("Niet aanvaard"),
    "open": gettext_lazy("Open"),
    "verlopen": gettext_lazy("Verlopen"),
    "aanvaard": gettext_lazy("Aanvaard"),
    "ingetrokken": gettext_lazy("Ingetrokken"),
}


def _inviter_only(view):
    def wrapped(request, *args, **kwargs):
        if not request.user.has_role(*INVITERS):
            return render(request, "403.html", status=403)
        return view(request, *args, **kwargs)

    return login_required(wrapped)


def _filtered(queryset, status):
    if status == "niet-aanvaard":
        return queryset.filter(accepted_at__isnull=True, revoked_at__isnull=True)
    if status == "open":
        return queryset.open()
    if status == "verlopen":
        return queryset.expired()
    if status == "aanvaard":
        return queryset.filter(accepted_at__isnull=False)
    if status == "ingetrokken":
        return queryset.filter(revoked_at__isnull=False)
    return queryset


@_inviter_only
def invitation_list(request):
    user = request.user
    form = InvitationForm(request.POST or None, inviter=user)
    if request.method == "POST" and form.is_valid():
        invitations.create_invitation(
            inviter=user,
            request=request,
            **{
                k: form.cleaned_data[k]
                for k in ("email", "full_name", "organisation", "role", "position", "valid_until")
            },
        )
        messages.success(request, _("De uitnodiging is verstuurd."))
        return redirect("invitation_list")
    status = request.GET.get("status", "")
    if status not in STATUS_FILTERS:
        status = ""
    sent = _filtered(Invitation.objects.visible_to(user), status).select_related(
        "organisation", "invited_by", "membership_request"
    )
    page = Paginator(sent, 50).get_page(request.GET.get("pagina"))
    return render(
        request,
        "weerbaar/invitations.html",
        {
            "form": form,
            "page": page,
            "sent": page.object_list,
            "status": status,
            "filters": list(STATUS_FILTERS.items()),
        },
    )


def _back(request):
    status = request.POST.get("status", "")
    url = reverse("invitation_list")
    return redirect(f"{url}?status={status}" if status in STATUS_FILTERS and status else url)


@require_POST
@_inviter_only
def invitation_resend(request, pk):
    invitation = get_visible_or_404(request, Invitation.objects, pk=pk)
    try:
        invitations.resend_invitation(actor=request.user, invitation=invitation, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    except PermissionDenied:
        messages.error(request, _("U mag deze uitnodiging niet opnieuw versturen."))
    else:
        messages.success(
            request,
            _("De uitnodiging aan %(email)s is opnieuw verstuurd; de oude link werkt niet meer.")
            % {"email": invitation.email},
        )
    return _back(request)


@require_POST
@_inviter_only
def invitation_revoke(request, pk):
    invitation = get_visible_or_404(request, Invitation.objects, pk=pk)
    try:
        invitations.revoke_invitation(actor=request.user, invitation=invitation, request=request)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    except PermissionDenied:
        messages.error(request, _("U mag deze uitnodiging niet intrekken."))
    else:
        messages.success(
            request,
            _("De uitnodiging aan %(email)s is ingetrokken.") % {"email": invitation.email},
        )
    return _back(request)


class BulkInvitationForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Organisatie"),
        queryset=Organisation.objects.none(),
        error_messages={
            "required": gettext_lazy("Kies de organisatie."),
            "invalid_choice": gettext_lazy("Kies een organisatie waarvoor u mag uitnodigen."),
        },
    )
    text = forms.CharField(
        label=gettext_lazy("De lijst"),
        help_text=gettext_lazy(
            "Eén persoon per regel: naam; e-mailadres; functie; startdatum (mag leeg). "
            "Kopieer de kolommen uit Excel of typ ze met puntkomma's ertussen."
        ),
        widget=forms.Textarea(attrs={"rows": 12, "spellcheck": "false"}),
        required=False,
        strip=False,
    )
    file = forms.FileField(
        label=gettext_lazy("Of kies een bestand (.xlsx of .csv, hoogstens 1 MB)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    checked = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, inviter, **kwargs):
        super().__init__(*args, **kwargs)
        if inviter.has_role(Role.FUNCTIONEEL_BEHEERDER):
            orgs = Organisation.objects.exclude(kind=OrganisationKind.NATIONAL)
            self.kinds = [k for k in OrganisationKind if k != OrganisationKind.NATIONAL]
        else:
            own = [
                m.organisation
                for m in inviter.active_memberships
                if m.role in (Role.GRIFFIER, Role.SECRETARIS)
            ]
            orgs = Organisation.objects.filter(pk__in=[o.pk for o in own])
            self.kinds = sorted({o.kind for o in own})
            if len({o.pk for o in own}) == 1:
                self.fields["organisation"].initial = own[0].pk
        self.fields["organisation"].queryset = orgs.order_by("name")


def _read_list(form):
    """The rows, and the text to show for correcting (an uploaded file becomes text)."""
    upload = form.cleaned_data.get("file")
    if upload:
        rows = bulk.parse_file(upload)
        return rows, bulk.to_text(rows)
    text = form.cleaned_data.get("text", "")
    if not text.strip():
        raise bulk.ListError(_("Plak een lijst of kies een bestand."))
    return bulk.parse_text(text), text


@_inviter_only
def invitation_bulk(request):
    form = BulkInvitationForm(request.POST or None, request.FILES or None, inviter=request.user)
    context = {"form": form, "max_rows": MAX_ROWS, "rows": None}
    if request.method == "POST" and form.is_valid():
        organisation = form.cleaned_data["organisation"]
        try:
            rows, text = _read_list(form)
        except bulk.ListError as error:
            form.add_error("file" if form.cleaned_data.get("file") else "text", str(error))
            return render(request, "weerbaar/invitations_bulk.html", context)
        confirmed = request.POST.get("action") == "confirm"
        fingerprint = bulk.digest(f"{organisation.pk}\n{text}")
        created = None
        # A confirm holds a lock on the organisation through its check and the sending: a
        # second confirm of the same list (a double click, a colleague) waits for the first,
        # then finds everyone invited and sends nothing. A check alone needs no transaction.
        with transaction.atomic() if confirmed else nullcontext():
            if confirmed:
                Organisation.objects.select_for_update().filter(pk=organisation.pk).first()
            bulk.validate(rows, inviter=request.user, organisation=organisation)
            errors = [row for row in rows if row.errors]
            if confirmed and not errors and form.cleaned_data["checked"] == fingerprint:
                created = bulk.create_all(
                    rows, inviter=request.user, organisation=organisation, request=request
                )
        if created is not None:
            waiting = sum(1 for row in rows if bulk.needs_second_person(row))
            messages.success(
                request,
                ngettext(
                    "%(n)s uitnodiging staat klaar en wordt nu verstuurd.",
                    "%(n)s uitnodigingen staan klaar en worden nu verstuurd.",
                    len(created),
                )
                % {"n": len(created)},
            )
            if waiting:
                messages.info(
                    request,
                    ngettext(
                        "%(n)s rol gaat pas in als een tweede persoon die heeft goedgekeurd.",
                        "%(n)s rollen gaan pas in als een tweede persoon ze heeft goedgekeurd.",
                        waiting,
                    )
                    % {"n": waiting},
                )
            return redirect(f"{reverse('invitation_list')}?status=niet-aanvaard")
        # Show the list as text to correct (an uploaded file too), and what was checked.
        form.data = form.data.copy()
        form.data["text"] = text
        form.data["checked"] = fingerprint if not errors else ""
        context.update(
            form=form,
            rows=[
                (row, bulk.label(row, organisation), bulk.needs_second_person(row)) for row in rows
            ],
            errors=errors,
            organisation=organisation,
            changed=confirmed and not errors,
            waiting=sum(1 for row in rows if row.is_valid and bulk.needs_second_person(row)),
        )
    context["names"] = [
        (OrganisationKind(kind).label.lower(), bulk.position_names(kind)) for kind in form.kinds
    ]
    return render(request, "weerbaar/invitations_bulk.html", context)
