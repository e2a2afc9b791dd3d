"""The case page's follow-up sections (letters, aftercare, perpetrator, aangifte, sharing):
shown closed, each with what it holds in one line, and rendered only when opened. Most
visits to a case are to read it, move it on or tick off a step; the follow-up forms are
used on a few of them and were most of the page's rendering time.

A section opens without JavaScript by a link to the same page with ``?open=<id>`` (the
section ids, nothing else, so nothing of the case is in the URL), and with JavaScript by
fetching its fragment (``incidents:case_section``) into the page. A section is also open
when a submission of its form was refused (what was typed is shown again with the errors)
and when the redirect after a save carries a message for it (``case_redirect``)."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    heading_id: str
    action: str  # the link that opens it, as a task: what the user goes there to do
    template: str
    form: str | None = None  # the page form it holds (a key of triage_context.FORMS)
    flag: str | None = None  # the case's flag that says it holds something (_fetch)
    filled: str = ""
    empty: str = ""


FOLLOW_UP = (
    Section(
        "brieven",
        _("Brieven"),
        "letters-heading",
        _("Brief maken"),
        "incidents/includes/case_letters.html",
    ),
    Section(
        "nazorg",
        _("Nazorg"),
        "aftercare-heading",
        _("Nazorg bekijken of vastleggen"),
        "incidents/includes/case_aftercare.html",
        form="aftercare_form",
        flag="has_aftercare",
        filled=_("Er is nazorg vastgelegd."),
        empty=_("Nog geen nazorg vastgelegd."),
    ),
    Section(
        "opvolging-dader",
        _("Opvolging richting de pleger"),
        "perp-heading",
        _("Opvolging bekijken of vastleggen"),
        "incidents/includes/case_perpetrator.html",
        form="perpetrator_form",
        flag="has_perpetrator_actions",
        filled=_("Er is opvolging richting de pleger vastgelegd."),
        empty=_("Nog niets vastgelegd."),
    ),
    Section(
        "aangifte",
        _("Aangifte"),
        "aangifte-heading",
        _("Aangifte bekijken of bijwerken"),
        "incidents/includes/case_aangifte.html",
        form="aangifte_form",
        flag="has_aangifte",
        filled=_("Er is een aangifte vastgelegd."),
        empty=_("Nog geen aangifte vastgelegd."),
    ),
    Section(
        "delen",
        _("Delen met een persoon"),
        "share-heading",
        _("Delen bekijken of beheren"),
        "incidents/includes/case_share.html",
        form="share_form",
        flag="has_shares",
        filled=_("Gedeeld met een of meer personen."),
        empty=_("Niet gedeeld."),
    ),
)
BY_ID = {section.id: section for section in FOLLOW_UP}
OF_FORM = {section.form: section.id for section in FOLLOW_UP if section.form}


def requested(request, bound=None):
    """The follow-up sections to render open: asked for in the URL, holding a refused form,
    or holding a message of the redirect that brought the user here."""
    wanted = set(request.GET.getlist("open")) & set(BY_ID)
    wanted.update(OF_FORM[name] for name in bound or () if name in OF_FORM)
    # Reading the messages here does not use them up: the template lists them again.
    wanted.update(m.extra_tags for m in getattr(request, "_messages", ()) if m.extra_tags in BY_ID)
    return wanted


def page_url(pk, sections, anchor, *, url=None):
    """The case page with ``sections`` open, at ``anchor``; ``url``: the case page's own,
    when reversed already."""
    url = url or reverse("incidents:case", args=[pk])
    ordered = [s.id for s in FOLLOW_UP if s.id in sections]
    query = f"?{urlencode({'open': ordered}, doseq=True)}" if ordered else ""
    return f"{url}{query}#{anchor}"


def listed(melding, opened):
    """The follow-up sections as the page lists them: each open or closed, with its links."""
    rows = []
    # Each route reversed once for the five sections (15 reverses were 0.3 ms).
    url = reverse("incidents:case", args=[melding.pk])
    fragment = reverse("incidents:case_section", args=[melding.pk, FOLLOW_UP[0].id])
    fragment = fragment.removesuffix(f"{FOLLOW_UP[0].id}/")
    for section in FOLLOW_UP:
        is_open = section.id in opened
        status = ""
        if section.flag:
            status = section.filled if getattr(melding, section.flag) else section.empty
        rows.append(
            {
                "section": section,
                "open": is_open,
                "status": status,
                "open_url": page_url(melding.pk, opened | {section.id}, section.id, url=url),
                "close_url": page_url(melding.pk, opened - {section.id}, section.id, url=url),
                "fragment_url": f"{fragment}{section.id}/",
            }
        )
    return rows
