from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from weerbaar.constants import Role

from .. import services
from ..access import in_thread
from ..forms import ApplicationForm, applicant_choices
from ..models import Application


@login_required
def index(request):
    """The applications the user may see: their own, their organisation's (secretaris),
    the ones they advise on or review."""
    qs = services.with_new_messages(
        Application.objects.visible_to(request.user)
        .select_related("applicant", "organisation")
        .order_by("-submitted_at"),
        request.user,
    )
    page = Paginator(qs, 25).get_page(request.GET.get("pagina"))
    for application in page.object_list:
        # Only who is in the thread hears of its messages (not the employer, not the BVA).
        application.new_message = application.has_new_messages and in_thread(
            request.user, application
        )
    return render(request, "veiligwonen/index.html", {"page": page})


@login_required
def apply(request):
    user = request.user
    if not applicant_choices(user).exists():
        positions = [
            m.get_position_display()
            for m in user.active_memberships
            if m.role == Role.OFFICE_HOLDER
        ]
        return render(request, "veiligwonen/not_eligible.html", {"positions": positions})
    form = ApplicationForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        membership = data.pop("membership")
        application = services.submit_application(
            membership=membership, filed_by=user, request=request, **data
        )
        messages.success(request, _("Uw aanvraag is ingediend."))
        return redirect(application)
    return render(request, "veiligwonen/apply.html", {"form": form})
