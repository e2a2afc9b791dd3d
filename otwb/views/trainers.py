from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import services
from ..constants import SessionStatus
from ..forms_trainers import ExceptionFormSet, TrainerForm, WeeklyFormSet
from ..ical import trainer_feed
from ..models import Session, Trainer
from .common import coordinator_required


@coordinator_required
def trainer_list(request):
    upcoming = Q(assignments__active=True, assignments__starts_at__gte=timezone.now())
    trainers = Trainer.objects.annotate(load=Count("assignments", filter=upcoming)).order_by(
        "-is_active", "name"
    )
    return render(request, "otwb/trainer_list.html", {"trainers": trainers})


def _edit(request, trainer, *, own):
    form = None if own else TrainerForm(request.POST or None, instance=trainer)
    data = request.POST if request.method == "POST" else None
    weekly = WeeklyFormSet(data, instance=trainer or Trainer(), prefix="weekly")
    exceptions = ExceptionFormSet(data, instance=trainer or Trainer(), prefix="exc")
    if request.method == "POST":
        # Validate every part (no short-circuit) so all errors show at once.
        valid = [weekly.is_valid(), exceptions.is_valid(), own or form.is_valid()]
        if all(valid):
            services.save_trainer(
                form=form, trainer=trainer, formsets=[weekly, exceptions], actor=request.user
            )
            messages.success(request, _("De beschikbaarheid is opgeslagen."))
            return redirect("otwb:my_agenda" if own else "otwb:trainer_list")
    return render(
        request,
        "otwb/trainer_form.html",
        {"form": form, "weekly": weekly, "exceptions": exceptions, "trainer": trainer, "own": own},
    )


@coordinator_required
def trainer_create(request):
    return _edit(request, None, own=False)


@coordinator_required
def trainer_edit(request, pk):
    return _edit(request, get_object_or_404(Trainer, pk=pk), own=False)


@login_required
def my_availability(request):
    return _edit(request, _own_trainer(request.user), own=True)


def _own_trainer(user):
    trainer = Trainer.objects.filter(user=user, is_active=True).first()
    if trainer is None:
        raise Http404
    return trainer


@login_required
def my_agenda(request):
    trainer = _own_trainer(request.user)
    sessions = (
        Session.objects.filter(assignments__trainer=trainer, assignments__active=True)
        .filter(ends_at__gte=timezone.now())
        .order_by("starts_at")
    )
    token = request.session.pop("otwb_new_feed_token", None)
    feed_url = request.build_absolute_uri(reverse("otwb:feed", args=[token])) if token else None
    return render(
        request,
        "otwb/my_agenda.html",
        {"trainer": trainer, "sessions": sessions, "feed_url": feed_url},
    )


@login_required
@require_POST
def feed_token(request):
    """Make a new feed URL (the old one stops working) or switch the feed off."""
    trainer = _own_trainer(request.user)
    if request.POST.get("action") == "revoke":
        services.revoke_feed_token(trainer, actor=request.user)
        messages.success(request, _("Uw agenda-link werkt niet meer."))
    else:
        # Shown once on the next page, never stored in clear.
        request.session["otwb_new_feed_token"] = services.regenerate_feed_token(
            trainer, actor=request.user
        )
        messages.success(
            request, _("Er is een nieuwe agenda-link gemaakt; de oude werkt niet meer.")
        )
    return redirect("otwb:my_agenda")


def feed(request, token):
    """The personal iCal feed, reachable without login by its secret token."""
    trainer = services.trainer_for_token(token)
    if trainer is None:
        raise Http404
    sessions = (
        Session.objects.filter(assignments__trainer=trainer, assignments__active=True)
        .exclude(status=SessionStatus.CANCELLED)
        .filter(ends_at__gte=timezone.now() - timezone.timedelta(days=90))
        .order_by("starts_at")
    )
    response = HttpResponse(
        trainer_feed(trainer, sessions), content_type="text/calendar; charset=utf-8"
    )
    response["Cache-Control"] = "private, max-age=300"
    return response
