"""The person's own details for the monitor: the gender question on the start page (asked
once) and the page where they change or remove the answer. Only the person themselves ever
sees their answer; nothing about it goes in a URL or a message."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import self_declaration
from .self_declaration_forms import GenderForm

__all__ = ["gender_answer", "own_details"]


@login_required
def own_details(request):
    current = self_declaration.declared_gender(request.user)
    form = GenderForm(request.POST or None, initial={"gender": current})
    if request.method == "POST":
        if "verwijderen" in request.POST:
            self_declaration.declare_gender(request.user, "", request=request)
            messages.success(request, _("Uw antwoord is verwijderd."))
            return redirect("own_details")
        if form.is_valid():
            self_declaration.declare_gender(
                request.user, form.cleaned_data["gender"], request=request
            )
            messages.success(request, _("Uw antwoord is opgeslagen."))
            return redirect("own_details")
    return render(
        request,
        "weerbaar/own_details.html",
        {"form": form, "answered": bool(current)},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def gender_answer(request):
    """The start page's question: an answer, or "Niet nu" (not asked again; the answer can
    still be given on the details page)."""
    if "niet-nu" in request.POST:
        self_declaration.declare_gender(request.user, "", request=request)
        return redirect("home")
    form = GenderForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["gender"][0])
        return redirect("home")
    self_declaration.declare_gender(request.user, form.cleaned_data["gender"], request=request)
    messages.success(request, _("Dank u wel. U kunt uw antwoord altijd wijzigen of verwijderen."))
    return redirect("home")
