"""The reporter's side: their own meldingen, withdrawing, messages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from weerbaar.access import get_visible_or_404
from weerbaar.labels import with_labels
from weerbaar.models import User

from .. import services
from ..forms import MessageForm
from ..models import Melding
from ..workflow import TransitionError
from .case import case_redirect, refused
from .categories import CATEGORY_LIST, category_labels


def own(request):
    """Meldingen the user filed or that were filed for them (``MeldingQuerySet.own_by``)."""
    return Melding.objects.own_by(request.user)


class MyListView(LoginRequiredMixin, ListView):
    template_name = "incidents/mine.html"
    context_object_name = "meldingen"
    paginate_by = 25

    def get_queryset(self):
        # No joins: the list shows the reporter only for a melding filed on someone else's
        # behalf (prefetched, usually one row), and joining the user table for every
        # melding made PostgreSQL hash all users (8 of the query's 10 ms at scale 1).
        return (
            own(self.request)
            .annotate(category_list=CATEGORY_LIST)
            # The columns the list shows: the other columns are not sent or parsed.
            .only("reporter", "status", "submitted_at")
            .prefetch_related(
                Prefetch("reporter", queryset=User.objects.only("pk", "full_name", "email"))
            )
            .order_by("-created_at", "-pk")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meldingen = with_labels(context["meldingen"], "status")
        for melding in meldingen:
            melding.category_label_list = category_labels(melding)
        context["meldingen"] = meldingen
        return context


@login_required
@require_POST
def withdraw(request, pk):
    melding = get_visible_or_404(request, own(request), pk=pk)
    try:
        services.withdraw(melding, actor=request.user, request=request)
    except TransitionError:
        messages.error(request, _("Deze melding kan niet meer worden ingetrokken."))
    else:
        messages.success(request, _("Uw melding is ingetrokken."))
    return redirect("incidents:case", melding.pk)


@login_required
@require_POST
def resubmit(request, pk):
    melding = get_visible_or_404(request, own(request), pk=pk)
    try:
        services.submit(melding, actor=request.user, request=request)
    except (TransitionError, ValidationError):
        messages.error(request, _("Deze melding kan niet opnieuw worden ingediend."))
    else:
        messages.success(request, _("Uw melding is opnieuw verstuurd."))
    return redirect("incidents:case", melding.pk)


@login_required
@require_POST
def message(request, pk):
    """A message from either side (reporter or triager); both see the same thread."""
    melding = get_visible_or_404(request, Melding, pk=pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Schrijf een bericht van hoogstens 10.000 tekens."))
        return refused(request, melding.pk, "message_form", form)
    try:
        services.post_message(
            melding, form.cleaned_data["body"], actor=request.user, request=request
        )
    except services.NotAllowed:
        messages.error(
            request, _("Bij deze melding kunt u geen bericht sturen."), extra_tags="berichten"
        )
    else:
        messages.success(request, _("Uw bericht is verstuurd."), extra_tags="berichten")
    return case_redirect(melding.pk, "berichten")
