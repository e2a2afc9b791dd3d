"""The aangifte preparation document: the seven W's, prefilled from the melding, with the
organisation's visiting address as domicile (ELA agreements) — never a home address."""

from django.utils import timezone

from weerbaar.pdf import render_pdf

from .constants import AANGIFTE_ALWAYS

__all__ = ["aangifte_pdf_bytes"]


def aangifte_pdf_bytes(melding):
    categories = melding.categories
    return render_pdf(
        "incidents/aangifte.pdf.html",
        {
            "melding": melding,
            "organisation": melding.organisation,
            "category_labels": melding.category_labels(),
            "always_aangifte": bool(AANGIFTE_ALWAYS & set(categories)),
            "aangifte": getattr(melding, "aangifte", None),
            "generated_at": timezone.now(),
        },
    )
