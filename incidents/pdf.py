"""The aangifte preparation document: the seven W's, prefilled from the melding, with the
organisation's visiting address as domicile (ELA agreements) — never a home address."""

from django.urls import reverse
from django.utils import timezone

from weerbaar.pdf import render_pdf
from weerbaar.profiles import (
    can_edit_profile,
    document_header,
    editor_titles,
    missing_for_aangifte,
)

from .constants import AANGIFTE_ALWAYS

__all__ = ["DomicileMissing", "aangifte_pdf_bytes", "domicile_notice"]


class DomicileMissing(Exception):
    """The organisation's visiting address is incomplete: the document would need a
    placeholder where the domicile must be, so it is not made. ``missing`` names the parts."""

    def __init__(self, missing):
        super().__init__(", ".join(missing))
        self.missing = missing


def domicile_notice(melding, user):
    """What the case page and the refused download tell while the domicile is incomplete:
    the missing parts, who can fill them in (role titles) and, for one of them, the link.
    ``None`` when the aangifte document can be made."""
    organisation = melding.organisation
    missing = missing_for_aangifte(organisation)
    if not missing:
        return None
    edit_url = None
    if can_edit_profile(user, organisation=organisation):
        edit_url = reverse("organisation_profile_of", args=[organisation.code])
    return {
        "organisation": organisation,
        "missing": missing,
        "editors": editor_titles(organisation=organisation),
        "edit_url": edit_url,
    }


def aangifte_pdf_bytes(melding):
    missing = missing_for_aangifte(melding.organisation)
    if missing:
        raise DomicileMissing(missing)
    categories = melding.categories
    return render_pdf(
        "incidents/aangifte.pdf.html",
        {
            "melding": melding,
            "organisation": melding.organisation,
            "header": document_header(melding.organisation),
            "category_labels": melding.category_labels(),
            "always_aangifte": bool(AANGIFTE_ALWAYS & set(categories)),
            "aangifte": getattr(melding, "aangifte", None),
            "generated_at": timezone.now(),
        },
    )
