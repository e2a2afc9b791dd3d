"""Who is what to an application, and the field-level rule for the private details.

The row-level rule is ``Application.objects.visible_to(user)``; on top of it the home
address, household and phone number are need-to-know: only the applicant, the assigned
adviser, the assigned intake officer and the BVA reviewer see them. The employer contact
(secretaris) follows the case and pays for the measures but never sees where the office
holder lives or with whom.
"""

from weerbaar.constants import Role

from .constants import ELIGIBLE_POSITIONS, DocumentKind, Status
from .workflow import CaseRole

__all__ = [
    "can_see_document",
    "can_see_private_details",
    "can_see_referral",
    "can_upload",
    "case_roles",
    "eligible_memberships",
    "employer_contacts",
    "employer_contacts_by_organisation",
    "in_thread",
    "upload_kinds",
]


def case_roles(user, application):
    """The case roles (``workflow.CaseRole``) ``user`` holds for ``application``."""
    roles = set()
    if application.applicant_id == user.pk:
        roles.add(CaseRole.APPLICANT)
    if user.has_role(Role.SECRETARIS, organisation=application.organisation):
        roles.add(CaseRole.EMPLOYER)
    if user.has_role(Role.VW_INTAKE):
        roles.add(CaseRole.INTAKE)
    if application.adviser_id == user.pk and user.has_role(Role.SECURITY_ADVISER):
        roles.add(CaseRole.ADVISER)
    if user.has_role(Role.BVA):
        roles.add(CaseRole.BVA)
    return roles


def can_see_private_details(user, application):
    """Home address, household, phone: applicant, assigned adviser, assigned intake
    officer, and the BVA reviewer — the one of record, or while the advice awaits review
    any BVA who did not write it."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.pk == application.applicant_id:
        return True
    if user.pk == application.adviser_id and user.has_role(Role.SECURITY_ADVISER):
        return True
    if user.pk == application.intake_officer_id and user.has_role(Role.VW_INTAKE):
        return True
    if user.has_role(Role.BVA):
        advice = getattr(application, "advice", None)
        if advice is None or advice.author_id == user.pk:
            return False
        if advice.reviewer_id == user.pk:
            return True
        return application.status == Status.UNDER_REVIEW and advice.reviewer_id is None
    return False


def can_see_referral(user, application):
    """The referral document to the Stelsel (home address, phone, the threat): BZK's intake
    officer of the case, while its details are not purged. Not the applicant, the employer,
    the CCV adviser or the BVA: it is BZK's letter to the unit. Not once the hand-off is
    taken back."""
    if application.purged_at or not hasattr(application, "handoff"):
        return False
    if application.handoff.cancelled:
        return False  # taken back: the letter is not to be sent any more
    return user.has_role(Role.VW_INTAKE) and can_see_private_details(user, application)


def eligible_memberships(user):
    """The user's office-holder memberships that the scheme covers."""
    return [
        m
        for m in user.active_memberships
        if m.role == Role.OFFICE_HOLDER and m.position in ELIGIBLE_POSITIONS
    ]


def employer_contacts(organisation):
    """The secretarissen of ``organisation``: the employer contacts for the measures."""
    from weerbaar.models import Membership, User

    ids = (
        Membership.objects.active()
        .filter(organisation=organisation, role=Role.SECRETARIS)
        .values("user_id")
    )
    return list(User.objects.filter(pk__in=ids))


def employer_contacts_by_organisation(organisation_ids):
    """{organisation id: [user ids of its secretarissen]} for several organisations in one
    query (the sweeps); every asked organisation is a key, with [] when it has none."""
    from weerbaar.models import Membership

    contacts = {pk: [] for pk in organisation_ids}
    rows = (
        Membership.objects.active()
        .filter(organisation_id__in=contacts, role=Role.SECRETARIS)
        .order_by("pk")
        .values_list("organisation_id", "user_id")
    )
    for organisation_id, user_id in rows:
        contacts[organisation_id].append(user_id)
    return contacts


# Where no more documents or messages are added: the case left the scheme.
FINISHED_ELSEWHERE = frozenset({Status.WITHDRAWN, Status.NOT_ELIGIBLE, Status.HANDED_OFF})
# Only the people who visit the home add its scan report.
SCAN_REPORT_UPLOADERS = frozenset({CaseRole.INTAKE, CaseRole.ADVISER})
UPLOADERS = frozenset({CaseRole.APPLICANT, CaseRole.EMPLOYER, *SCAN_REPORT_UPLOADERS})


def can_see_document(user, application, document):
    """Quotes and invoices: everyone who sees the application (the employer pays them). The
    scan report describes the home: only who sees the private details."""
    if document.kind == DocumentKind.SCAN_REPORT:
        return can_see_private_details(user, application)
    return True


def can_upload(user, application, kind=None):
    """May ``user`` add a document (of ``kind``) to ``application``?"""
    if application.status in FINISHED_ELSEWHERE or application.purged_at:
        return False
    roles = case_roles(user, application)
    if kind == DocumentKind.SCAN_REPORT:
        return bool(roles & SCAN_REPORT_UPLOADERS)
    return bool(roles & UPLOADERS)


def upload_kinds(user, application):
    """The kinds of document ``user`` may add, as form choices."""
    return [(k.value, k.label) for k in DocumentKind if can_upload(user, application, k)]


def in_thread(user, application):
    """The message thread is between the applicant, BZK (the intake officers) and the CCV
    adviser assigned to the case; the employer and the BVA are not in it (it may touch the
    home situation)."""
    if user.pk == application.applicant_id:
        return True
    if user.has_role(Role.VW_INTAKE):
        return True
    return user.pk == application.adviser_id and user.has_role(Role.SECURITY_ADVISER)
