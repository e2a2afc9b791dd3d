"""Timeline lines stored as a code and its parameters and worded when shown, in the
viewer's language: what someone with an English interface does reads Dutch to a Dutch
viewer. An app keeps its codes and their Dutch wording in a ``Lines`` registry; a
parameter that is a choice is stored as its value and shown as its label, an amount is
shown in the one Dutch notation (``format_euro``), a name or title someone typed is shown
as stored."""

from typing import NamedTuple

__all__ = ["Line", "Lines", "Text"]


class Line(NamedTuple):
    code: str
    params: dict


class Text:
    """A ``gettext_lazy`` template and, per parameter, how its stored value is shown: a
    choices class (the value's label) or a function such as ``format_euro``."""

    def __init__(self, template, **formats):
        self.template = template
        self.formats = formats

    def __call__(self, params):
        values = {}
        for name, value in params.items():
            shown = self.formats.get(name)
            if shown is None:
                values[name] = value
            elif hasattr(shown, "choices"):
                values[name] = shown(value).label
            else:
                values[name] = shown(value)
        return str(self.template) % values


class Lines:
    """The codes of one app's timeline: ``texts`` maps a code to a ``Text`` or to a
    function of the parameters that returns the wording."""

    def __init__(self, texts):
        self.texts = texts

    def line(self, code, **params):
        """A line to write; an unknown code fails here, at the write, not when shown."""
        if code not in self.texts:
            raise KeyError(code)
        return Line(code, params)

    def render(self, code, params, fallback=""):
        """The line in the active language; ``fallback`` (a stored text) when the code is
        not known (any more) or its parameters no longer fit."""
        text = self.texts.get(code)
        if text is None:
            return fallback
        try:
            return text(params)
        except (KeyError, ValueError, TypeError):
            return fallback
