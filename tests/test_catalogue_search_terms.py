"""Keyword sanitising for full-text search, and snippets: pure functions, no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from portal.domain.search_terms import MAX_TERMS, parse_keywords, snippet


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("social listening", ("social", "listening")),
        ("  Social   LISTENING ", ("social", "listening")),
        ('"critical incident', ("critical", "incident")),
        ("24/7 contact", ("24", "7", "contact")),
        ("cyber-essentials AND (iso OR", ("cyber", "essentials", "and", "iso", "or")),
        ("NEAR(a b) * ^col:x", ("near", "a", "b", "col", "x")),
        ("social social media", ("social", "media")),
        ("Cymraeg café", ("cymraeg", "café")),
        ("", ()),
        ("  -- !! ", ()),
        (None, ()),
    ],
)
def test_keywords_become_plain_words(typed, words):
    assert parse_keywords(typed).words == words


def test_every_term_is_quoted_for_fts5_and_the_last_is_a_prefix():
    assert parse_keywords("social listen").fts5_match() == '"social" "listen"*'


def test_a_one_letter_last_word_is_not_a_prefix():
    terms = parse_keywords("24/7")
    assert terms.fts5_match() == '"24" "7"'
    assert terms.pg_prefix() == ""
    assert terms.pg_words() == "24 7"


def test_postgres_gets_whole_words_and_a_prefix_for_the_last():
    terms = parse_keywords("critical incid")
    assert terms.pg_words() == "critical"
    assert terms.pg_prefix() == "incid:*"


def test_only_so_many_terms_are_kept():
    assert len(parse_keywords(" ".join(f"word{i}" for i in range(50))).words) == MAX_TERMS


def test_no_keywords_is_falsy():
    assert not parse_keywords("?!")
    assert parse_keywords("orlo")


@given(st.text(max_size=200))
def test_any_text_gives_terms_of_letters_and_digits_only(typed):
    terms = parse_keywords(typed)
    for word in terms.words:
        assert word and all(ch.isalnum() for ch in word)
    match = terms.fts5_match()
    # Quotes only ever come from our own quoting: two per term.
    assert match.count('"') == 2 * len(terms.words)


def test_snippet_marks_matching_words_including_stems():
    body = "Orlo Ltd\nWe offer social listening and listen to communities across Facebook."
    pieces = snippet(body, parse_keywords("listening"))
    matched = [text for text, is_match in pieces if is_match]
    assert matched == ["listening", "listen"]
    assert "".join(text for text, _ in pieces).startswith("Orlo Ltd We offer")


def test_snippet_starts_near_the_first_match_and_marks_cuts():
    body = " ".join(f"filler{i}" for i in range(100)) + " safeguarding training " + "tail " * 50
    pieces = snippet(body, parse_keywords("safeguarding"), words=10)
    text = "".join(t for t, _ in pieces)
    assert text.startswith("… ")
    assert text.endswith("…")
    assert ("safeguarding", True) in pieces


def test_no_snippet_without_terms_or_body():
    assert snippet("", parse_keywords("x y")) == []
    assert snippet("some text", parse_keywords("")) == []
