"""Approvals that can send work back (issue 15): an approver returns a recommended award with a comment, the buyer
revises and resubmits, and every step is kept, audited, notified and printed; the recommend forms offer only what
the services accept."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.domain.competition_lifecycle import S
from portal.extensions import db
from portal.models import AuditEvent, LotMembership, Notification
from portal.services import approvals, work
from portal.services.competitions import access
from portal.services.direct_awards import decisions
from portal.services.direct_awards import shortlist as shortlists
from portal.services.documents import direct_award_record, register, report
from portal.services.errors import ConflictError, PermissionDeniedError, ValidationError
from portal.services.evaluation import award, award_return
from tests.documents_support import pdf_text
from tests.test_award_services import moderated_world, recommended_world
from tests.test_direct_award_world import build_world, ready_award
from tests.test_documents_direct_award import _keep

COMMENT = "Explain why the abnormally low price check was not needed."


def _events(event_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)))


def _notified(kind: str) -> dict[int, str]:
    """user id -> link of every notification of this kind."""
    return {n.user_id: n.link for n in db.session.scalars(select(Notification).where(Notification.kind == kind))}


def _actions(**award_id) -> list[tuple[str, str]]:
    return [(s.action, s.comment) for s in approvals.history(**award_id)]


# --- Mini-competition: return, revise, resubmit, approve ------------------------------------------------------------


def test_a_return_needs_a_comment_and_changes_nothing_without_one():
    world = recommended_world()
    for blank in ("", "   "):
        with pytest.raises(ValidationError, match="Enter a comment") as error:
            award_return.return_award(world.approver, world.competition.id, blank)
        assert error.value.field == "comment"
        db.session.rollback()
    db.session.refresh(world.competition)
    assert world.competition.recommended_bid_id == world.bids["Bravo"].id
    assert _events("competition.award_returned") == []


def test_only_an_approver_other_than_the_recommender_returns_and_only_a_waiting_award():
    world = recommended_world()
    with pytest.raises(PermissionDeniedError):
        award_return.return_award(world.colleague, world.competition.id, COMMENT)
    world = moderated_world()
    with pytest.raises(ConflictError, match="You cannot return the award to the buyer because"):
        award_return.return_award(world.approver, world.competition.id, COMMENT)
    award.recommend(world.approver, world.competition.id, world.bids["Bravo"].id)
    with pytest.raises(ConflictError, match="recommended the award cannot return it"):
        award_return.return_award(world.approver, world.competition.id, COMMENT)


def test_return_revise_resubmit_approve_keeps_every_step_audits_and_notifies():
    world = recommended_world()
    cid = world.competition.id
    assert _notified("award_recommended") == {world.approver.id: f"/evaluation/{cid}/approve"}

    award_return.return_award(world.approver, cid, f"  {COMMENT}  ")
    competition = db.session.get(type(world.competition), cid)
    assert competition.recommended_at is None and competition.recommended_by_id is None
    assert competition.recommended_bid_id is None and access.state(competition) is S.MODERATED
    returned = _events("competition.award_returned")
    assert len(returned) == 1 and returned[0].actor_id == world.approver.id
    # The buyer who recommended and the other procurement officers; not the approver who returned it.
    assert _notified("award_returned") == {
        world.buyer.id: f"/evaluation/{cid}/recommend",
        world.colleague.id: f"/evaluation/{cid}/recommend",
    }
    steps = approvals.history(competition_id=cid)
    assert approvals.latest_return(steps).comment == COMMENT and steps[-1].actor == world.approver.name

    award.recommend(world.buyer, cid, world.bids["Bravo"].id, "Price check done: see the results page")
    assert approvals.latest_return(approvals.history(competition_id=cid)) is None
    award.approve(world.approver, cid)
    assert _actions(competition_id=cid) == [
        ("recommend", ""),
        ("return", COMMENT),
        ("recommend", "Price check done: see the results page"),
        ("approve", ""),
    ]
    assert [s.supplier for s in approvals.history(competition_id=cid)] == ["Bravo"] * 4
    assert set(_notified("award_approved")) == {world.buyer.id, world.colleague.id}
    assert all(link == f"/evaluation/{cid}" for link in _notified("award_approved").values())

    rows = report.report_data(world.buyer, competition)["decision"]["steps"]
    assert [(r["action"], r["by"], r["comment"]) for r in rows] == [
        ("Recommended", world.buyer.name, ""),
        ("Returned to the buyer", world.approver.name, COMMENT),
        ("Recommended", world.buyer.name, "Price check done: see the results page"),
        ("Approved", world.approver.name, ""),
    ]


# --- Mini-competition: the form offers only what recommend() accepts ------------------------------------------------


def test_every_offered_bid_is_accepted_and_every_other_is_refused():
    world = moderated_world()
    offered = award.recommendable(world.buyer, world.competition)
    assert [row.bid.id for row in offered.rows] == [world.bids["Bravo"].id] and offered.problem is None
    for bid in world.bids.values():
        if bid.id in {row.bid.id for row in offered.rows}:
            continue
        with pytest.raises(ValidationError, match="must follow the published criteria"):
            award.recommend(world.buyer, world.competition.id, bid.id)
        db.session.rollback()
    for row in offered.rows:
        assert award.recommend(world.buyer, world.competition.id, row.bid.id).recommended_bid_id == row.bid.id


def test_nothing_is_offered_when_the_winner_cannot_be_awarded_and_recommend_gives_the_same_reason():
    world = moderated_world()
    membership = db.session.scalar(
        select(LotMembership).where(LotMembership.supplier_id == world.suppliers["Bravo"].id)
    )
    membership.status, membership.status_reason = "suspended", "Under investigation"
    db.session.commit()
    offered = award.recommendable(world.buyer, world.competition)
    assert offered.rows == [] and "suspended" in offered.problem
    with pytest.raises(ConflictError) as error:
        award.recommend(world.buyer, world.competition.id, world.bids["Bravo"].id)
    assert error.value.message == offered.problem


def _radio_values(page: str, name: str) -> set[str]:
    return set(re.findall(rf'name="{name}"[^>]*value="([^"]*)"', page)) | set(
        re.findall(rf'value="([^"]*)"[^>]*name="{name}"', page)
    )


def test_recommend_page_offers_only_the_top_bid(client, auth):
    world = moderated_world()
    auth.login(world.buyer.email)
    page = client.get(f"/evaluation/{world.competition.id}/recommend").get_data(as_text=True)
    assert _radio_values(page, "bid_id") == {str(world.bids["Bravo"].id)}


# --- Mini-competition: the pages ----------------------------------------------------------------------------------


def test_the_approver_returns_through_the_page_and_the_buyer_sees_the_comment(client, auth):
    world = recommended_world()
    cid = world.competition.id
    auth.login(world.approver.email)
    page = client.get(f"/evaluation/{cid}/approve").get_data(as_text=True)
    assert "Return to the buyer" in page and "Approval history" in page
    response = client.post(f"/evaluation/{cid}/return", data={"return-comment": "  "})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "govuk-error-summary" in page
    assert 'href="#return-comment"' in page and "Enter a comment saying what the buyer should change" in page
    response = client.post(f"/evaluation/{cid}/return", data={"return-comment": COMMENT})
    assert response.status_code == 302
    auth.logout()
    auth.login(world.buyer.email)
    page = client.get(f"/evaluation/{cid}/recommend").get_data(as_text=True)
    assert "govuk-notification-banner" in page and "Returned with a comment" in page and COMMENT in page
    page = client.get(f"/evaluation/{cid}").get_data(as_text=True)  # the competition's page says so too
    assert "Returned with a comment" in page and COMMENT in page and f'href="/evaluation/{cid}/recommend"' in page
    assert (
        client.post(
            f"/evaluation/{cid}/recommend", data={"bid_id": str(world.bids["Bravo"].id), "note": "Revised"}
        ).status_code
        == 302
    )
    page = client.get(f"/evaluation/{cid}/recommend").get_data(as_text=True)
    assert "Returned with a comment" not in page  # answered by the new recommendation
    auth.logout()
    auth.login(world.approver.email)
    page = client.get(f"/evaluation/{cid}/approve").get_data(as_text=True)
    assert COMMENT in page and "Revised" in page and page.count("Recommended") >= 2


def test_the_buyer_cannot_post_a_return(client, auth):
    world = recommended_world()
    auth.login(world.buyer.email)
    response = client.post(f"/evaluation/{world.competition.id}/return", data={"return-comment": COMMENT})
    assert response.status_code == 403
    assert db.session.get(type(world.competition), world.competition.id).recommended_at is not None


def test_the_report_pdf_lists_the_steps():
    world = recommended_world()
    award_return.return_award(world.approver, world.competition.id, COMMENT)
    award.recommend(world.buyer, world.competition.id, world.bids["Bravo"].id, "Revised")
    document = report.issue_report(world.buyer, world.competition.id)
    _keep(register.pdf_bytes(document), "report-approval-steps.pdf")
    text = " ".join(pdf_text(register.pdf_bytes(document)).split())
    assert "Approval history" in text and "Returned to the buyer" in text
    assert "Explain why the abnormally low price check" in text
    assert text.index("Returned to the buyer") < text.rindex("Recommended: Bravo")


# --- Direct awards ---------------------------------------------------------------------------------------------------


@pytest.fixture
def da_world():
    return build_world()


def _da_recommended(world):
    award_ = ready_award(world)
    shortlists.freeze(world.buyer, award_)
    return decisions.recommend(world.buyer, award_.id, world.suppliers["alpha"].id, "Lowest cost, terms complete.")


def test_a_direct_award_return_needs_an_approver_other_than_the_recommender_and_a_comment(da_world):
    world = da_world
    award_ = _da_recommended(world)
    with pytest.raises(PermissionDeniedError):
        decisions.return_award(world.buyer, award_.id, COMMENT)
    with pytest.raises(ValidationError, match="Enter a comment") as error:
        decisions.return_award(world.approver, award_.id, " ")
    assert error.value.field == "comment"
    db.session.rollback()
    decisions.approve(world.approver, award_.id)
    with pytest.raises(ConflictError, match="Only an award waiting for approval"):
        decisions.return_award(world.approver2, award_.id, COMMENT)


def test_direct_award_return_revise_resubmit_approve_accept(da_world):
    world = da_world
    award_ = _da_recommended(world)
    aid = award_.id
    assert set(_notified("direct_award_recommended")) == {world.approver.id, world.approver2.id}
    assert _notified("direct_award_recommended")[world.approver.id] == f"/direct-awards/{aid}/approve"

    decisions.return_award(world.approver, aid, COMMENT)
    assert award_.recommended_at is None and award_.recommended_supplier_id is None
    assert decisions.status(award_)[0] != "Awaiting approval"
    assert len(_events("direct_award.returned")) == 1
    assert _notified("direct_award_returned") == {world.buyer.id: f"/direct-awards/{aid}/award"}

    decisions.recommend(world.buyer, aid, world.suppliers["alpha"].id, "Revised justification")
    decisions.approve(world.approver2, aid)
    alpha_user = world.supplier_users["alpha"]
    assert _notified("direct_award_approved") == {alpha_user.id: f"/direct-awards/supplier/{aid}"}
    decisions.accept(alpha_user, aid)
    accepted = _notified("direct_award_accepted")
    assert {world.buyer.id, world.approver.id, world.approver2.id} <= set(accepted)
    assert set(accepted.values()) == {f"/direct-awards/{aid}"}
    assert _actions(direct_award_id=aid) == [
        ("recommend", "Lowest cost, terms complete."),
        ("return", COMMENT),
        ("recommend", "Revised justification"),
        ("approve", ""),
    ]
    pdf = register.pdf_bytes(direct_award_record.issue_record(world.buyer, aid))
    _keep(pdf, "direct-award-approval-steps.pdf")
    text = " ".join(pdf_text(pdf).split())
    assert "Approval history" in text and "Returned to the buyer" in text and "Revised justification" in text


def test_the_direct_award_form_offers_only_the_selected_supplier_which_succeeds(da_world, client, auth):
    world = da_world
    award_ = ready_award(world)
    frozen = shortlists.freeze(world.buyer, award_)
    content = shortlists.content_of(frozen)
    offered = decisions.recommendable(award_, content)
    assert [s["supplier"]["id"] for s in offered.suppliers] == [world.suppliers["alpha"].id]
    for entry in content["capable"]:
        if entry["supplier"]["id"] != world.suppliers["alpha"].id:
            with pytest.raises(ValidationError, match="not a direct award"):
                decisions.recommend(world.buyer, award_.id, entry["supplier"]["id"], "Because")
            db.session.rollback()
    auth.login(world.buyer.email)
    page = client.get(f"/direct-awards/{award_.id}/award").get_data(as_text=True)
    assert _radio_values(page, "supplier_id") == {str(world.suppliers["alpha"].id)}
    response = client.post(
        f"/direct-awards/{award_.id}/award",
        data={"supplier_id": str(world.suppliers["alpha"].id), "justification": "Lowest cost"},
    )
    assert response.status_code == 302


def test_direct_award_pages_return_and_show_the_comment(da_world, client, auth):
    world = da_world
    award_ = _da_recommended(world)
    auth.login(world.approver.email)
    page = client.get(f"/direct-awards/{award_.id}/approve").get_data(as_text=True)
    assert "Return to the buyer" in page and "Approval history" in page
    response = client.post(f"/direct-awards/{award_.id}/return", data={"return-comment": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "govuk-error-summary" in page and 'href="#return-comment"' in page
    assert client.post(f"/direct-awards/{award_.id}/return", data={"return-comment": COMMENT}).status_code == 302
    auth.logout()
    auth.login(world.buyer.email)
    page = client.get(f"/direct-awards/{award_.id}/award").get_data(as_text=True)
    assert "Returned with a comment" in page and COMMENT in page
    assert "Lowest cost, terms complete." in page  # the justification is kept to revise
    page = client.get(f"/direct-awards/{award_.id}").get_data(as_text=True)  # and the task list
    assert "Returned with a comment" in page and f'href="/direct-awards/{award_.id}/award"' in page
    assert client.post(f"/direct-awards/{award_.id}/return", data={"return-comment": COMMENT}).status_code == 403


# --- The buyer's home page: work sent back comes to them -------------------------------------------------------------


def _returned_items(user) -> list:
    return [i for i in work.queue_for(user) if i.title == "Revise and resubmit the returned award"]


def test_a_returned_award_waits_on_the_buyers_queue_with_the_comment_until_resubmitted():
    world = recommended_world()
    cid = world.competition.id
    assert _returned_items(world.buyer) == []
    award_return.return_award(world.approver, cid, COMMENT)
    [waiting] = _returned_items(world.buyer)
    assert waiting.endpoint == "evaluation.recommend" and dict(waiting.values) == {"competition_id": cid}
    assert waiting.detail == f"Returned by {world.approver.name}: {COMMENT}" and waiting.label == "Returned"
    award.recommend(world.buyer, cid, world.bids["Bravo"].id, "Price check done")
    assert _returned_items(world.buyer) == []


def test_a_returned_direct_award_waits_on_the_buyers_queue_until_resubmitted(da_world):
    world = da_world
    aid = _da_recommended(world).id
    decisions.return_award(world.approver, aid, COMMENT)
    [waiting] = _returned_items(world.buyer)
    assert waiting.endpoint == "direct_awards.award" and dict(waiting.values) == {"direct_award_id": aid}
    assert COMMENT in waiting.detail
    decisions.recommend(world.buyer, aid, world.suppliers["alpha"].id, "Revised justification")
    assert _returned_items(world.buyer) == []
