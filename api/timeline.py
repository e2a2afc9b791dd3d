"""A melding's timeline over the API: each line as its code and parameters and as text in
the request's language. Parameters that name people or hold a title someone typed, the
actor's name, and lines stored only as text (written before lines had codes, or the
routing notice) are free text: only with ``meldingen:inhoud``. Without it such a line
keeps its code and its text with the content left out."""

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.pagination import CursorPagination

from incidents import timeline_texts
from incidents.constants import TimelineKind

from .common import ERRORS, has_scope
from .constants import Scope
from .views import _audit_views, _scoped, _visible_or_404

__all__ = ["CONTENT_PARAMS", "TimelineList"]

# Per code, the parameters that are free text (names, typed titles). Every code of
# ``incidents.timeline_texts.TEXTS`` is listed (tested): a new code must be classified.
CONTENT_PARAMS = {
    "melding.draft_saved": (),
    "melding.status": (),
    "melding.attachment": (),
    "melding.severity": (),
    "melding.assigned": ("n",),
    "melding.unassigned": (),
    "melding.note": (),
    "message.reporter": (),
    "message.handler": (),
    "step.done": (),
    "step.reopened": (),
    "local_step.done": ("s",),
    "local_step.reopened": ("s",),
    "aftercare": (),
    "perpetrator": (),
    "aangifte.status": (),
    "shared.granted": ("n",),
    "shared.revoked": ("n",),
    "letter": (),
    "escalation": (),
    "reminder.aftercare": (),
    "reminder.aangifte": (),
    "reminder.aangifte_police": (),
    "reminder.idle": (),
}
WITHHELD = "…"


class TimelineCursor(CursorPagination):
    """Oldest first, as the case page reads it."""

    ordering = ("at", "pk")
    page_size = 50
    page_size_query_param = "pageSize"
    max_page_size = 200


class TimelineEntrySerializer(serializers.Serializer):
    at = serializers.DateTimeField()
    kind = serializers.ChoiceField(choices=TimelineKind.choices)
    code = serializers.CharField(
        help_text="Leeg voor regels die alleen als tekst bestaan (zie text)."
    )
    params = serializers.SerializerMethodField()
    text = serializers.SerializerMethodField()
    internal = serializers.BooleanField()
    actorName = serializers.SerializerMethodField()

    def _content(self):
        return self.context.get("with_content", False)

    @extend_schema_field(
        serializers.DictField(
            help_text="De parameters van de code; namen en getypte titels alleen met "
            "meldingen:inhoud."
        )
    )
    def get_params(self, entry):
        if entry.code not in CONTENT_PARAMS:
            return {}
        hidden = () if self._content() else CONTENT_PARAMS[entry.code]
        return {name: value for name, value in (entry.params or {}).items() if name not in hidden}

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_text(self, entry):
        """The line in the request's language; ``null`` for a text-only line without the
        content scope (its text may hold anything)."""
        if entry.code not in CONTENT_PARAMS:
            return entry.text if self._content() else None
        params = dict(entry.params or {})
        if not self._content():
            params.update(dict.fromkeys(CONTENT_PARAMS[entry.code], WITHHELD))
        return timeline_texts.render(entry.code, params, fallback=None)

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actorName(self, entry):
        if not self._content() or entry.actor_id is None:
            return None
        return entry.actor.get_full_name()


class TimelineList(generics.ListAPIView):
    """The timeline of one melding the client sees, oldest first; a melding it does not see
    is 404. The read is audited as a view of the melding by the client."""

    serializer_class = TimelineEntrySerializer
    pagination_class = TimelineCursor
    required_scopes = {"GET": [Scope.MELDINGEN_LEZEN]}

    def _with_content(self):
        return has_scope(self.request, Scope.MELDINGEN_INHOUD)

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "with_content": self._with_content()}

    def get_queryset(self):
        from incidents.models import TimelineEntry

        if getattr(self.request, "api_client", None) is None:
            return TimelineEntry.objects.none()
        melding = _visible_or_404(self.request, _scoped(self.request), self.kwargs["pk"])
        self.melding = melding
        entries = TimelineEntry.objects.filter(melding=melding)
        if self._with_content():
            entries = entries.select_related("actor")
        return entries

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        _audit_views(self.request, [self.melding])
        return page

    @extend_schema(
        operation_id="meldingen_tijdlijn_list",
        responses={200: TimelineEntrySerializer(many=True), **ERRORS},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)
