"""The issued advice as PDF: the applicant's copy with the home situation, and the
employer's copy with measures and costs only (no home address, household or phone).

Rendering uses the locked-down fetcher of ``weerbaar.pdf``."""

from django.utils import timezone

from weerbaar.pdf import render_pdf

__all__ = ["advice_pdf", "referral_pdf"]


def advice_pdf(application, *, for_employer):
    advice = application.advice
    context = {
        "application": application,
        "advice": advice,
        "measures": list(advice.measures.select_related("measure_type")),
        "for_employer": for_employer,
        "generated_at": timezone.now(),
    }
    if not for_employer:
        context["scan_findings"] = list(application.scan_findings.all())
    template = "veiligwonen/pdf/employer.html" if for_employer else "veiligwonen/pdf/applicant.html"
    return render_pdf(template, context)


def referral_pdf(application):
    """The referral to the unit of the Stelsel Bewaken en Beveiligen: who is threatened,
    where they live and how to reach them, the threat as BZK summarised it for the unit,
    and the hand-off's own data. Not the household, the applicant's own explanation, the
    intake or scan findings, or any document (docs/handoffs.md)."""
    return render_pdf(
        "veiligwonen/pdf/referral.html",
        {
            "application": application,
            "handoff": application.handoff,
            "generated_at": timezone.now(),
        },
    )
