"""The page after sending: who has the melding now, by when they answer, what happens next
and whom to call meanwhile. Only for the reporter and the person who filed it (others get
a 404, as on every melding URL); a draft has not been sent, so it has no such page."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from weerbaar.access import get_visible_or_404
from weerbaar.constants import NationalBody
from weerbaar.models import OrganisationProfile

from ..constants import OPEN_STATUSES, Route, Status
from .case import _receivers
from .reporter import own


def _phones(melding):
    """The griffie's or secretariaat's phone of the organisation that has the melding (not
    on the confidential route: that organisation does not get it) and the OTWB's, each when
    its profile has one."""
    profiles = OrganisationProfile.objects.exclude(phone="").values_list("phone", flat=True)
    own_phone = ""
    if melding.route != Route.CONFIDENTIAL and melding.route_organisation_id:
        own_phone = profiles.filter(organisation_id=melding.route_organisation_id).first()
    otwb_phone = profiles.filter(organisation__code=NationalBody.OTWB).first()
    return own_phone or "", otwb_phone or ""


@login_required
def sent(request, pk):
    melding = get_visible_or_404(request, own(request).select_related("route_organisation"), pk=pk)
    if melding.status == Status.DRAFT:
        raise Http404
    if melding.status not in OPEN_STATUSES:
        # Withdrawn or closed since: the case page says what became of it.
        return redirect("incidents:case", melding.pk)
    own_phone, otwb_phone = _phones(melding)
    return render(
        request,
        "incidents/sent.html",
        {
            "melding": melding,
            "shown": _receivers(melding),
            "confidential": melding.route == Route.CONFIDENTIAL,
            "own_phone": own_phone,
            "otwb_phone": otwb_phone,
        },
    )
