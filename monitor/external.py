"""Links from the monitor to public sources about the organisation's own area: linking, not
rebuilding. Only for a gemeente's own monitor (its griffier or secretaris)."""

from dataclasses import dataclass

from weerbaar.constants import OrganisationKind

__all__ = ["ZICHT_OP_ONDERMIJNING", "ExternalLink", "zicht_op_ondermijning"]

# Zicht op Ondermijning (CBS with the ministry of JenV): indicators of undermining crime per
# gemeente. Its gemeente pages are chosen inside the dashboard and we found no documented,
# stable deep link by CBS code; a guessed one would break silently. So the link goes to the
# site's entrance, where the gemeente is selected, and the page names the gemeente and its
# CBS code to pick (docs/handoffs.md).
ZICHT_OP_ONDERMIJNING = "https://www.zichtopondermijning.nl/"


@dataclass(frozen=True)
class ExternalLink:
    url: str
    name: str
    cbs_code: str


def zicht_op_ondermijning(organisation):
    """The link for ``organisation``'s gemeente, or None (not a gemeente, or no CBS code)."""
    if organisation is None or organisation.kind != OrganisationKind.GEMEENTE:
        return None
    code = organisation.code or ""
    if not (code.startswith("GM") and code[2:].isdigit()):
        return None
    return ExternalLink(url=ZICHT_OP_ONDERMIJNING, name=organisation.name, cbs_code=code)
