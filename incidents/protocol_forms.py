"""The local protocol's form (``views.protocol``): per position of the organisation's kind
a choice within ``protocol.OPTIONS`` and nothing else — a forged value is an invalid
choice — and the short protocol text in Dutch and English (plain text, length-limited)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from weerbaar.constants import role_title

from . import protocol, routing
from .constants import Route
from .models.protocol import TEXT_MAX

__all__ = ["ProtocolForm"]


class ProtocolForm(forms.Form):
    text_nl = forms.CharField(
        label=_("Bij wie meldt u? (Nederlands)"),
        help_text=_("Platte tekst, zonder opmaak. Regeleinden blijven staan."),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    text_en = forms.CharField(
        label=_("Bij wie meldt u? (Engels)"),
        help_text=_("Leeg gelaten ziet men in het Engels de Nederlandse tekst."),
        max_length=TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args, organisation, choices, texts=("", ""), **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        kind = organisation.kind
        self.fields["text_nl"].initial, self.fields["text_en"].initial = texts
        self.positions = []
        for key in protocol.positions_of(kind):
            options = protocol.OPTIONS[key]
            chain = routing.CHAINS[self._route(key)]
            choice = choices.get(key, protocol.Choice())
            label = protocol.position_label(key)
            names = {}
            if options.receive:
                name = f"receive_{key}"
                self.fields[name] = forms.MultipleChoiceField(
                    label=_("%(position)s: ontvangt ook") % {"position": label},
                    choices=[(r, role_title(r, kind)) for r in sorted(options.receive)],
                    required=False,
                    initial=sorted(choice.receive),
                    widget=forms.CheckboxSelectMultiple,
                )
                names["receive"] = name
            if len(options.escalate) > 1:
                name = f"escalate_{key}"
                self.fields[name] = forms.MultipleChoiceField(
                    label=_("%(position)s: bij escalatie naar") % {"position": label},
                    choices=[(r, role_title(r, kind)) for r in sorted(options.escalate)],
                    initial=sorted(choice.escalate or chain.escalate[0]),
                    widget=forms.CheckboxSelectMultiple,
                    error_messages={"required": _("Kies ten minste één rol voor de escalatie.")},
                )
                names["escalate"] = name
            defaults = sorted(chain.receive[0] - {routing.OTWB})
            self.positions.append(
                {
                    "key": key,
                    "label": label,
                    "default": [role_title(r, kind) for r in defaults],
                    "fields": names,
                }
            )

    @staticmethod
    def _route(key):
        if key == protocol.CIVIL_SERVANT:
            return Route.SECRETARIS
        return routing.POSITION_ROUTE[key]

    def position_fields(self):
        """The positions with their bound fields, for the template."""
        for position in self.positions:
            yield {**position, "bound": [self[name] for name in position["fields"].values()]}

    def choices(self):
        """The valid form as ``{key: protocol.Choice}`` (checked against ``OPTIONS`` again)."""
        result = {}
        for position in self.positions:
            names = position["fields"]
            receive = frozenset(self.cleaned_data.get(names.get("receive"), ()) or ())
            escalate = frozenset(self.cleaned_data.get(names.get("escalate"), ()) or ())
            result[position["key"]] = protocol.clean(
                position["key"], protocol.Choice(receive, escalate)
            )
        return result
