"""The invitation letter that opens a traject, as PDF, rendered with the locked-down
fetcher of ``weerbaar.pdf``. It names the organisation and its postal address (else its
visiting address) only."""

from django.utils import timezone

from weerbaar.pdf import render_pdf
from weerbaar.profiles import document_header

__all__ = ["invitation_letter"]


def invitation_letter(traject, *, sender):
    return render_pdf(
        "otwb/pdf/invitation.html",
        {
            "organisation": traject.organisation,
            "header": document_header(traject.organisation),
            "tour": traject.tour,
            "sender": sender.get_full_name(),
            "today": timezone.localdate(),
        },
    )
