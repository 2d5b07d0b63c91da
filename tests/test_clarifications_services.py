"""Service tests for clarification questions: who may ask, until when, and how answers are shared."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, OutboxMessage
from portal.services.competitions import clarifications, publication
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from tests.test_competition_builder_support import complete, start, world


def published_world():
    w = world()
    competition = complete(start(w), w.buyer)
    publication.publish(w.buyer, competition.id)
    return w, competition


def test_invited_supplier_asks_and_it_is_audited():
    w, competition = published_world()
    question = clarifications.ask(w.supplier_users[0], competition.id, "Is SSO required?")
    assert question.supplier_id == w.suppliers[0].id
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.event_type == "clarification.asked"))


def test_uninvited_supplier_and_buyers_cannot_ask():
    w, competition = published_world()
    with pytest.raises(NotFoundError):
        clarifications.ask(w.supplier_users[2], competition.id, "Suspended supplier asks")
    with pytest.raises(PermissionDeniedError):
        clarifications.ask(w.buyer, competition.id, "Buyer asks")


def test_question_after_the_clarification_deadline_is_refused():
    w, competition = published_world()
    late = competition.clarification_deadline_at
    with pytest.raises(ConflictError, match="clarification deadline has passed"):
        clarifications.ask(w.supplier_users[0], competition.id, "Too late?", now=late)
    with pytest.raises(ValidationError, match="Enter your question"):
        clarifications.ask(w.supplier_users[0], competition.id, " ")


def test_answer_to_all_is_published_without_naming_the_asker():
    w, competition = published_world()
    question = clarifications.ask(w.supplier_users[0], competition.id, "Is SSO required?")
    before = db.session.scalar(select(db.func.count(OutboxMessage.id)))
    clarifications.answer(w.buyer, question.id, answer="Yes, SAML 2.0.", audience="all")
    messages = list(db.session.scalars(select(OutboxMessage).offset(before)))
    assert len(messages) == 4  # two invited suppliers, each with a user and a contact address
    assert all("Alpha" not in m.body and "Yes, SAML 2.0." in m.body for m in messages)
    bravo_view = clarifications.for_supplier(w.supplier_users[1], competition)
    assert [c.answer for c in bravo_view] == ["Yes, SAML 2.0."]


def test_private_answer_needs_a_reason_and_only_the_asker_sees_it():
    w, competition = published_world()
    question = clarifications.ask(w.supplier_users[0], competition.id, "Can we reuse our Force X pricing?")
    with pytest.raises(ValidationError, match="why the answer is private") as error:
        clarifications.answer(w.buyer, question.id, answer="Yes", audience="private")
    assert error.value.field == "private_reason"
    clarifications.answer(
        w.buyer, question.id, answer="Yes", audience="private", private_reason="Reveals Alpha's pricing"
    )
    assert clarifications.for_supplier(w.supplier_users[1], competition) == []
    assert [c.answer for c in clarifications.for_supplier(w.supplier_users[0], competition)] == ["Yes"]
    with pytest.raises(ConflictError, match="already been answered"):
        clarifications.answer(w.buyer, question.id, answer="Again", audience="all")


def test_buyer_of_another_organisation_cannot_see_or_answer():
    w, competition = published_world()
    question = clarifications.ask(w.supplier_users[0], competition.id, "Q?")
    with pytest.raises(NotFoundError):
        clarifications.for_buyer(w.other_buyer, competition.id)
    with pytest.raises(NotFoundError):
        clarifications.answer(w.other_buyer, question.id, answer="A", audience="all")


def test_answers_refused_once_the_competition_is_closed():
    w, competition = published_world()
    question = clarifications.ask(w.supplier_users[0], competition.id, "Q?")
    after = competition.submission_deadline_at + timedelta(minutes=1)
    with pytest.raises(ConflictError, match="open for bids"):
        clarifications.answer(w.buyer, question.id, answer="A", audience="all", now=after)
