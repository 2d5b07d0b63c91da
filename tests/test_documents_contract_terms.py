"""A framework's call-off terms: placeholders checked and filled without evaluation, the staff form, and the seed."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.domain import call_off_terms as terms
from portal.extensions import db
from portal.models import AuditEvent
from portal.seed.call_off_terms import terms_for
from tests.factories import make_framework, make_user

VALUES = {name: f"<{name}>" for name in terms.PLACEHOLDERS}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("Between {buyer_nmae} and us", 1, "{buyer_nmae} is not a known placeholder"),
        ("1.1 Owner:\n{supplier_name.__class__}", 2, "{supplier_name.__class__} is not a placeholder"),
        ("Value {contract_value:>20}", 1, "{contract_value:>20} is not a placeholder"),
        ("Index {buyer_name[0]}", 1, "{buyer_name[0]} is not a placeholder"),
        ("Starts {start_date", 1, "a { is not closed"),
        ("Starts {start_date {end_date}", 1, "a { is not closed"),
        ("\n\nEnds end_date}", 3, "a } has no matching {"),
        ("Jinja {{ config }} is literal, but {config} is not", 1, "{config} is not a known placeholder"),
        ("No {% if x %}statements{% endif %}", 1, "{% if x %} is not a placeholder"),
    ],
)
def test_unknown_placeholders_and_unbalanced_braces_are_found_with_their_line(text, line, message):
    found = terms.problems(text)
    assert found and found[0].line == line and message in found[0].message


def test_filling_is_plain_substitution_never_evaluation():
    text = "{buyer_name} buys; {{literal}}; {supplier_name}; {{ config }}"
    values = VALUES | {"supplier_name": "Brace {buyer_name} Ltd {{x}}"}
    assert terms.fill(text, values) == "<buyer_name> buys; {literal}; Brace {buyer_name} Ltd {{x}}; { config }"
    with pytest.raises(terms.TermsError, match=re.escape("line 1: {nope} is not a known placeholder")):
        terms.fill("{nope} {again}", VALUES)


def test_problems_are_described_in_one_message_with_a_count():
    found = terms.problems("{a}\n{b}\n{c}")
    assert (
        terms.describe(found)
        == "Call-off terms line 1: {a} is not a known placeholder (and 2 more problems further down)"
    )


def test_blocks_make_headings_clauses_and_paragraphs():
    text = (
        "Preamble line\ncontinues.\n\n1. Definitions\n1.1 First clause\nwraps here.\n1.2 Second\n\n2. Term\n2.1 Runs."
    )
    assert terms.blocks(text) == [
        {"kind": "text", "number": "", "text": "Preamble line continues."},
        {"kind": "heading", "number": "1", "text": "Definitions"},
        {"kind": "clause", "number": "1.1", "text": "First clause wraps here."},
        {"kind": "clause", "number": "1.2", "text": "Second"},
        {"kind": "heading", "number": "2", "text": "Term"},
        {"kind": "clause", "number": "2.1", "text": "Runs."},
    ]


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2027, 4, 1), 24, date(2029, 3, 31)),
        (date(2027, 1, 31), 1, date(2027, 2, 27)),
        (date(2028, 2, 29), 12, date(2029, 2, 27)),
    ],
)
def test_contract_end_is_the_day_before_the_same_date_term_months_later(start, months, end):
    assert terms.contract_end_on(start, months) == end


@pytest.mark.parametrize("regime", ["pcr2015", "pa2023"])
def test_seeded_terms_are_valid_and_cover_the_clauses_a_call_off_needs(regime):
    text = terms_for(regime)
    assert terms.problems(text) == []
    headings = [b["text"] for b in terms.blocks(terms.fill(text, VALUES)) if b["kind"] == "heading"]
    for needed in ("Definitions", "Term", "Charges and payment", "Data protection", "Security",
                   "Key performance indicators and service credits", "Termination", "Liability",
                   "Freedom of information", "Governing law"):  # fmt: skip
        assert any(h.startswith(needed) for h in headings), needed
    assert "UK GDPR" in text and "{governing_law}" in text and "{courts}" in text  # law and courts by nation
    assert "Data Protection Schedule" in text
    assert ("contract performance notice" in text) is (regime == "pa2023")


def test_staff_form_refuses_bad_terms_in_the_gov_uk_pattern_and_keeps_the_text(client, auth):
    staff = make_user("staff")
    framework = make_framework(call_off_terms="1. Term\n1.1 From {start_date}.")
    db.session.commit()
    auth.login(staff.email)
    url = f"/admin/frameworks/{framework.id}/call-off-terms"
    assert "From {start_date}." in client.get(url).get_data(as_text=True)
    posted = "1. Term\n1.1 From {start_date} to {finish_date}.\n1.2 Paid in {currency"
    response = client.post(url, data={"call_off_terms": posted})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Error:" in page
    assert "govuk-error-summary" in page and 'href="#call_off_terms"' in page and "govuk-error-message" in page
    assert "line 2: {finish_date} is not a known placeholder (and 1 more problem further down)" in page
    assert "{currency</textarea>" in page  # the text is kept to correct
    response = client.post(url, data={"call_off_terms": ""})
    assert "Enter the call-off terms" in response.get_data(as_text=True)
    assert db.session.get(type(framework), framework.id).call_off_terms == "1. Term\n1.1 From {start_date}."


def test_staff_save_terms_with_an_audit_of_before_and_after(client, auth):
    staff = make_user("staff")
    framework = make_framework(call_off_terms="1. Term\n1.1 From {start_date}.")
    db.session.commit()
    auth.login(staff.email)
    url = f"/admin/frameworks/{framework.id}/call-off-terms"
    new = "1. Term\n1.1 From {start_date} to {end_date}."
    response = client.post(url, data={"call_off_terms": new})
    assert response.status_code == 302 and response.headers["Location"].endswith("#call-off-terms")
    assert framework.call_off_terms == new
    [event] = db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == "framework.call_off_terms_changed"))
    assert json.loads(event.before_json) == {"call_off_terms": "1. Term\n1.1 From {start_date}."}
    assert json.loads(event.after_json) == {"call_off_terms": new} and event.actor_id == staff.id
    assert "Call-off terms of" in client.get(response.headers["Location"]).get_data(as_text=True)


def test_only_staff_edit_terms(client, auth):
    buyer = make_user("buyer")
    framework = make_framework()
    db.session.commit()
    auth.login(buyer.email)
    assert client.get(f"/admin/frameworks/{framework.id}/call-off-terms").status_code == 403
