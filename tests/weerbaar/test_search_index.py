"""The blind index itself (weerbaar/search.py): how words become terms, that a token is a
keyed MAC that differs per list and per key, that the rebuild command drops the rows of
objects that are gone, and that the startup check refuses a bad or reused key."""

import base64
import os

import pytest
from django.core.management import call_command

from weerbaar import checks, search
from weerbaar.models import SearchToken


def test_words_are_casefolded_stripped_of_accents_and_split():
    assert search.normalise("Ölçer-Zwartveld @Jan_de_Boer, 3512HK") == [
        "olcer",
        "zwartveld",
        "jan",
        "de",
        "boer",
        "3512hk",
    ]


def test_a_word_is_found_by_every_prefix_of_three_or_more():
    assert search.index_terms("Jansen") == {"jan", "jans", "janse", "jansen"}
    assert search.index_terms("de Vos") == {"vos"}


def test_a_query_keeps_words_of_three_or_more_once_in_order():
    assert search.query_terms("de Jansen JANSEN vos ab") == ["jansen", "vos"]
    assert len(search.query_terms(" ".join(f"woord{i}" for i in range(20)))) == search.MAX_TERMS


def test_a_token_depends_on_the_key_and_the_list(settings):
    token = search.blind("incidents.melding", "jansen")
    assert len(token) == 16 and b"jansen" not in token
    assert token != search.blind("veiligwonen.application", "jansen")
    settings.SEARCH_INDEX_KEY = base64.urlsafe_b64encode(os.urandom(32)).decode()
    assert token != search.blind("incidents.melding", "jansen")


@pytest.mark.django_db
def test_the_rebuild_drops_tokens_of_objects_that_are_gone():
    SearchToken.objects.create(kind="otwb.traject", object_id=987654, token=b"x" * 16)
    call_command("rebuild_search_index", kind="otwb.traject", stdout=open(os.devnull, "w"))  # noqa: SIM115
    assert not SearchToken.objects.filter(object_id=987654).exists()


def test_the_startup_check_refuses_a_short_or_reused_key(settings):
    assert checks.search_index_key(None) == []
    settings.SEARCH_INDEX_KEY = base64.urlsafe_b64encode(b"short").decode()
    assert [e.id for e in checks.search_index_key(None)] == ["weerbaar.E003"]
    settings.SEARCH_INDEX_KEY = settings.FIELD_ENCRYPTION_KEYS[0].partition(":")[2]
    assert [e.id for e in checks.search_index_key(None)] == ["weerbaar.E004"]
