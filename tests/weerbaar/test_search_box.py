"""The search box's form written out (``SearchForm.render``) is what Django's form renderer
makes of it with the project's field template, for every list, language and query."""

import pytest
from django import forms
from django.forms.renderers import BaseRenderer
from django.template import Context, Template
from django.utils import translation

from weerbaar import search
from weerbaar.search_box import SearchForm

QUERIES = ["", "Jan de Boer", 'a<b "c" & d', "O'Brien", "0", "Ölçer", "M-000123"]


class Refusing(BaseRenderer):
    """A form renderer that fails if the box is rendered through it."""

    def get_template(self, template_name):
        raise AssertionError(f"rendered through the form renderer: {template_name}")


@pytest.mark.parametrize("language", ["nl", "en"])
@pytest.mark.parametrize("kind", ["incidents.melding", "veiligwonen.application", "otwb.traject"])
def test_the_written_out_box_is_the_box_django_renders(language, kind):
    index = search.registered(kind)
    with translation.override(language):
        for query in QUERIES:
            by_django = forms.Form.render(SearchForm(initial={"q": query}, index=index))
            form = SearchForm(initial={"q": query}, index=index, renderer=Refusing())
            assert str(form) == by_django
            # As a list's template shows it (weerbaar/includes/search_box.html).
            assert Template("{{ form }}").render(Context({"form": form})) == by_django


def test_a_box_with_an_error_is_rendered_by_django():
    form = SearchForm({"zoek-q": "ab"}, index=search.registered("incidents.melding"))
    assert not form.is_valid()
    html = str(form)
    assert "drie letters" in html
    assert 'aria-invalid="true"' in html
    assert 'value="ab"' in html
