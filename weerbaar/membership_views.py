"""The approval screens of four eyes: approvers see the pending requests they may decide
and approve or refuse them with a reason; requesters and grantees follow their state. A
request outside what the user asked for, is asked for, or may approve is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import memberships
from .access import NOTHING, get_visible_or_404
from .forms import DecisionForm
from .membership_rules import approvable_q
from .models import MembershipRequest

__all__ = ["membership_request", "membership_requests"]

RELATED = ("organisation", "user", "requested_by", "decided_by")


def _decidable_by(user):
    """Pending requests ``user`` may decide: by the table, and neither theirs nor for them."""
    q = approvable_q(user)
    if q == NOTHING:
        return MembershipRequest.objects.none()
    return (
        MembershipRequest.objects.pending()
        .filter(q)
        .exclude(Q(requested_by=user) | Q(user=user) | Q(email__iexact=user.email))
    )


@login_required
def membership_requests(request):
    user = request.user
    related = MembershipRequest.objects.select_related(*RELATED)
    context = {
        "to_decide": _decidable_by(user).select_related(*RELATED).order_by("requested_at")[:100],
        "for_me": related.filter(user=user).exclude(requested_by__isnull=True)[:20],
        "mine": related.filter(requested_by=user)[:50],
    }
    return render(request, "weerbaar/membership_requests.html", context)


@login_required
def membership_request(request, pk):
    queryset = MembershipRequest.objects.select_related(*RELATED)
    mreq = get_visible_or_404(request, queryset, pk=pk)
    can_decide = _decidable_by(request.user).filter(pk=mreq.pk).exists()
    form = DecisionForm(request.POST or None)
    if request.method == "POST":
        if not can_decide:
            # Visible (their own request, or a role for them) but not theirs to decide.
            return render(request, "403.html", status=403)
        if form.is_valid():
            decide = (
                memberships.approve
                if form.cleaned_data["decision"] == "approve"
                else (memberships.refuse)
            )
            try:
                decide(
                    approver=request.user,
                    membership_request=mreq,
                    reason=form.cleaned_data["reason"],
                    http_request=request,
                )
            except PermissionDenied:
                return render(request, "403.html", status=403)
            except ValidationError as exc:
                messages.error(request, exc.messages[0])
                return redirect("membership_request", pk=mreq.pk)
            messages.success(
                request,
                _("De aanvraag is goedgekeurd.")
                if form.cleaned_data["decision"] == "approve"
                else _("De aanvraag is geweigerd."),
            )
            return redirect("membership_requests")
    context = {"mreq": mreq, "form": form, "can_decide": can_decide}
    return render(request, "weerbaar/membership_request.html", context)
