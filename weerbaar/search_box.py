"""The search box of a list (triage dashboard, Veilig Wonen queue, OTWB trajecten).

What a user types may be a name, so it never goes into a URL (access logs, browser history,
a Referer): the box is a POST form, answered with a redirect to the list with ``zoek=``, the
query encrypted under the field keys and bound to the user (``crypto.encrypt_text``). The
list then reads the query back, filters its own scoped queryset with ``search.filter_queryset``
and records one audit line per search shown: how many words and results, never the words.
"""

import json
import time

from django import forms
from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from . import audit, crypto, search
from .constants import AuditAction

__all__ = ["PARAM", "ListSearch", "SearchForm"]

PARAM = "zoek"
MAX_QUERY = 200


def _context(user):
    return f"weerbaar.search.query.{user.pk}"


def seal(query, user):
    payload = json.dumps([int(time.time()), query])
    return crypto.encrypt_text(payload, context=_context(user))


def unseal(token, user):
    """The query of a ``zoek=`` value made for this user, or None (another user's, tampered
    with, or older than a session can live)."""
    try:
        issued, query = json.loads(crypto.decrypt_text(token, context=_context(user)))
    except (crypto.DecryptionError, ValueError, TypeError):
        return None
    if time.time() - issued > settings.SESSION_ABSOLUTE_TIMEOUT:
        return None
    return query


class SearchForm(forms.Form):
    prefix = "zoek"

    q = forms.CharField(
        label=_("Zoeken"),
        max_length=MAX_QUERY,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )

    def __init__(self, *args, index, **kwargs):
        super().__init__(*args, **kwargs)
        self.index = index
        self.fields["q"].help_text = (
            _("Kenmerk (zoals M-000123), naam van de melder of pleger, account, plaats of soort.")
            if index.reference == "M"
            else _("Kenmerk, naam, adres of organisatie.")
            if index.reference
            else _("Naam van de organisatie, provincie of ronde.")
        )

    def render(self, template_name=None, context=None, renderer=None):
        """``{{ form }}`` of the unbound box (every list, searched or not) as the project's
        field template renders it (templates/django/forms/field.html), written out here:
        through the form renderer one text box took 0.5-1 ms of a list's request (the
        field's template, the widget's and its attributes'). A bound box (the list again with
        the box's error) and any other template are rendered by Django. Tested equal."""
        if self.is_bound or template_name or context or renderer:
            return super().render(template_name, context, renderer)
        field = self["q"]
        value = field.value()
        return format_html(
            '<div class="utrecht-form-field">\n'
            '  <label class="utrecht-form-label" for="{id}">{label}</label>\n'
            '  <div class="utrecht-form-field-description" id="{id}_helptext">{help}</div>\n'
            "  \n"
            '  <input type="search" name="{name}"{value} autocomplete="off" maxlength="{max}"'
            ' aria-describedby="{id}_helptext" id="{id}">\n'
            "</div>",
            id=field.auto_id,
            label=field.label,
            help=mark_safe(field.help_text),  # noqa: S308 (our own text; the template's |safe)
            name=field.html_name,
            value=format_html(' value="{}"', value) if value not in (None, "") else "",
            max=MAX_QUERY,
        )

    # Django binds these to its own ``render`` (RenderableMixin), not to an override.
    __str__ = render
    __html__ = render

    def clean_q(self):
        query = self.cleaned_data["q"]
        if query and self.index.reference_pk(query) is None and not search.query_terms(query):
            raise forms.ValidationError(
                _("Typ ten minste drie letters of cijfers, of een kenmerk."), code="too_short"
            )
        return query


class ListSearch:
    """The search of one list request: ``post()`` for the box, ``filter(qs)`` for the list,
    ``record(n)`` for the audit line; the template gets it as ``search``
    (weerbaar/includes/search_box.html)."""

    def __init__(self, request, kind):
        self.request, self.kind = request, kind
        self.index = search.registered(kind)
        self.query, self.expired, self.results, self.found = "", False, None, None
        token = request.GET.get(PARAM, "")
        if token:
            query = unseal(token, request.user)
            if query is None:
                self.expired = True
            else:
                self.query = query
        self.form = SearchForm(initial={"q": self.query}, index=self.index)

    @property
    def active(self):
        return bool(self.query)

    def post(self):
        """The redirect to the list with the query sealed, or None when the form has errors
        (then ``self.form`` is the bound form, holding what the user typed)."""
        form = SearchForm(self.request.POST, index=self.index)
        if not form.is_valid():
            self.form = form
            return None
        params = self._params()
        if form.cleaned_data["q"]:
            params[PARAM] = seal(form.cleaned_data["q"], self.request.user)
        query = params.urlencode()
        return HttpResponseRedirect(self.request.path + (f"?{query}" if query else ""))

    def filter(self, queryset):
        """``queryset`` narrowed to what the search finds. The ids are read once (the token
        intersection is the costly part) and the list's page and count then read those
        rows by id; ``found`` is their number, for a paginator that takes a count."""
        if not self.active:
            return queryset
        return search.among(queryset, self.ids(queryset.order_by()))

    def ids(self, queryset):
        """The ids of what the search finds in ``queryset``, in its order: one statement
        within the scope, the ids only. A list then reads its page's rows by their slice
        of these (incidents' dashboard, ``IdListPaginator``) instead of filtering, sorting
        and cutting the found rows again; ``found`` is their number."""
        found = search.filter_queryset(queryset, self.kind, self.query)
        ids = list(found.values_list("pk", flat=True))
        self.found = len(ids)
        return ids

    def paginate(self, queryset, per_page, number):
        """A page of a searched (or plain) list, with Django's Paginator; a search's count is
        the number of ids already read, not another query."""
        paginator = Paginator(queryset, per_page)
        if self.found is not None:
            paginator.count = self.found  # a cached_property: set once, read as computed
        return paginator.get_page(number)

    def record(self, results):
        """One audit line for a search shown: the list, how many words, how many results."""
        self.results = results
        if self.active:
            reference = self.index.reference_pk(self.query) is not None
            audit.record(
                AuditAction.SEARCH,
                request=self.request,
                kind=self.kind,
                by_reference=reference,
                terms=0 if reference else len(search.query_terms(self.query)),
                results=results,
            )

    def _params(self):
        params = self.request.GET.copy()
        for name in (PARAM, "page", "pagina"):
            params.pop(name, None)
        return params

    @property
    def clear_url(self):
        query = self._params().urlencode()
        return self.request.path + (f"?{query}" if query else "")
