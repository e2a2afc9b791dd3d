from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from weerbaar.constants import Role

from .. import services
from ..models import Application

NATIONAL_VIEWERS = (Role.VW_INTAKE, Role.BVA, Role.ANALYST)


@login_required
def costs(request):
    """Costs of executed measures per employer and year (within the user's scope), and for
    BZK the national total against the yearly contribution."""
    user = request.user
    if not user.has_role(Role.SECRETARIS, *NATIONAL_VIEWERS):
        return render(request, "403.html", status=403)
    # Analysts see no application, so per employer nothing: only the national aggregate.
    context = {"employer_rows": services.employer_totals(Application.objects.visible_to(user))}
    if user.has_role(*NATIONAL_VIEWERS):
        context["national_rows"] = services.national_totals()
    return render(request, "veiligwonen/costs.html", context)
