"""Call-offs ready for their contract, shared by tests/test_documents_contract*.py and bench/documents_contract.py.

`awarded_competition()` is the evaluation world (tests/test_evaluation_services.py) taken through moderation,
recommendation, approval and standstill to a confirmed award: Bravo wins with 87.69 (Quality 60.00, Price 27.69),
its price is 10 licences x £20.00 x 12 months + 3 onboarding days x £500.00 = £3,900.00.
`approved_direct_award()` is the direct award world (tests/test_direct_award_world.py) recommended and approved:
Alpha is selected, 20 licences x £10.00 x 12 months + 2 onboarding days x £500.00 = £3,400.00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from portal.extensions import db
from portal.models import User
from portal.models.base import utcnow
from portal.seed.call_off_terms import terms_for
from portal.services.direct_awards import decisions
from portal.services.direct_awards import shortlist as shortlists
from portal.services.evaluation import award, moderation
from tests.factories import make_organisation, make_user
from tests.test_direct_award_world import build_world, ready_award
from tests.test_evaluation_services import evaluation_world, moderate_all, score_all

START_ON = date(2027, 4, 1)
ADDRESS = "Bravo House\n12 Quay Street\nManchester\nM3 3JE"


@dataclass
class ContractWorld:
    kind: str
    call_off: object
    buyer: User  # a procurement officer of the buying organisation (not an approver)
    approver: User  # signs for the buyer
    supplier_user: User  # a user of the winning supplier
    losing_supplier_user: User | None
    other_buyer: User  # another organisation's buyer
    staff: User
    winner: object  # the winning Supplier

    @property
    def id(self) -> int:
        return self.call_off.id


def make_ready_to_sign(world: ContractWorld, *, kpis_count: int = 1, personal_data: bool = True) -> None:
    """Complete the data protection schedule and set KPIs, so no clause points at an empty schedule."""
    from portal.services.contracts import data_protection, kpis
    from portal.services.contracts.data_protection import DataProtectionInput
    from portal.services.contracts.kpis import KpiInput

    answer = (
        DataProtectionInput(
            True,
            "Hosting the force's social media accounts",
            "The term and 3 months of exit",
            "Storing and publishing messages to engage with the public",
            "Names, handles, message content",
            "Members of the public who contact the force",
            law_enforcement_processing=False,
        )
        if personal_data
        else DataProtectionInput(False)
    )
    data_protection.save(world.buyer, world.kind, world.id, answer)
    for n in range(kpis_count):
        kpis.add(world.buyer, world.kind, world.id, KpiInput(f"KPI {n + 1}", "Measured monthly", "99 %"))


def publish_award_notice(
    world: ContractWorld,
    *,
    days_ago: int = 21,
    published_at: datetime | None = None,
    platform_id: str = "2026/S 000-012345",
):
    """Send the assessment summaries (a competition), prepare the award notice (the UK6 under the Act, the Contracts
    Finder award under PCR 2015) and record it published `days_ago` days ago, so that a standstill it starts has
    run. The approval and the notice's preparation move back with it (publication cannot precede either)."""
    from portal.domain import notices as build
    from portal.services.evaluation import summaries
    from portal.services.notices import lifecycle

    subject = world.call_off
    if world.kind == "competition" and subject.assessment_summaries_sent_at is None:
        summaries.send_assessment_summaries(world.buyer, subject.id)
    pa = subject.lot.framework.regime == "pa2023"
    notice_type = build.UK6 if pa else build.CONTRACTS_FINDER_AWARD
    notice = lifecycle.prepare(world.buyer, world.kind, world.id, notice_type)
    published = published_at or utcnow() - timedelta(days=days_ago)
    if published < utcnow():
        subject.approved_at = min(subject.approved_at, published - timedelta(hours=2))
        notice.prepared_at = published - timedelta(hours=1)
        db.session.commit()
    return lifecycle.record_publication(world.buyer, world.kind, world.id, notice_type, platform_id, published)


def awarded_competition(
    *, confirm: bool = True, answer_words: int = 0, ready_to_sign: bool = False, standstill_applies: bool = True
) -> ContractWorld:
    """A competition awarded to Bravo, confirmed after the standstill unless `confirm` is False: its assessment
    summaries sent and its UK6 published three weeks ago, so the Act's standstill has run."""
    world = evaluation_world()
    competition = world.competition
    competition.planned_start_on = START_ON
    competition.term_months = 12
    competition.lot.framework.call_off_terms = terms_for("pa2023")
    bravo = world.suppliers["Bravo"]
    bravo.registered_address = ADDRESS
    if answer_words:
        _long_answers(world, answer_words)
    db.session.commit()
    score_all(world)
    moderate_all(world)
    moderation.complete_moderation(world.buyer, competition.id)
    award.recommend(world.buyer, competition.id, world.bids["Bravo"].id, standstill_applies=standstill_applies)
    award.approve(world.approver, competition.id)
    contract_world = ContractWorld(
        kind="competition",
        call_off=competition,
        buyer=world.buyer,
        approver=world.approver,
        supplier_user=make_user("supplier", supplier=bravo, name="Sam Supplier"),
        losing_supplier_user=make_user("supplier", supplier=world.suppliers["Alpha"]),
        other_buyer=make_user("buyer", organisation=make_organisation()),
        staff=make_user("staff"),
        winner=bravo,
    )
    db.session.commit()
    if confirm:
        publish_award_notice(contract_world)
        award.confirm(world.buyer, competition.id)
    if ready_to_sign:
        make_ready_to_sign(contract_world)
    return contract_world


def _long_answers(world, words: int) -> None:
    """Make every quality answer `words` words long (re-serialising the submitted content), for page counts."""
    from portal.models import BidSubmission
    from portal.services.bids import crypto
    from portal.services.bids.content import build_content, serialise

    paragraph = (
        "Our platform publishes to every corporate account from one place, with approval workflows for "
        "neighbourhood teams, a full audit trail and single sign-on with the force's identity provider. "
    )
    text = " ".join([paragraph] * (words // 30 + 1))
    for bid in world.bids.values():
        for answer in bid.answers:
            if answer.passed is None:
                crypto.set_answer_text(bid, answer, text)
        db.session.flush()
        submission: BidSubmission = bid.submissions[0]
        content = build_content(bid, 1)
        frozen, submission.content_sha256 = serialise(content)
        crypto.seal_submission(bid, submission, frozen, content["total_price_pence"])


def _add_capable_supplier(world, name: str, licence_pence: int, onboarding_pence: int):
    """A further capable supplier (every capability, in-date accreditation, active), dearer than Alpha."""
    from tests.factories import make_accreditation, make_claim, make_membership, make_price, make_supplier

    supplier = make_supplier(legal_name=f"{name} Ltd", trading_name=name)
    make_membership(supplier, world.lot, status="active", reason="", framework_ranking=6)
    for capability in world.capabilities:
        make_claim(supplier, capability, f"{name} evidence for {capability.name}")
    make_accreditation(supplier, "Cyber Essentials Plus", expires_on=world.start_on + timedelta(days=400))
    framework_start = world.lot.framework.start_on
    make_price(supplier, world.items[0], licence_pence, framework_start)
    make_price(supplier, world.items[1], onboarding_pence, framework_start)
    world.suppliers[name.lower()] = supplier
    return supplier


def approved_direct_award(
    *, standstill_over: bool = True, regime: str = "pa2023", three_capable: bool = False, ready_to_sign: bool = False
) -> ContractWorld:
    """Alpha selected; with `three_capable`, Zeta Ltd (licence £15.00, onboarding £650.00) is capable too. With
    `standstill_over`, its award notice was published three weeks ago (publish_award_notice)."""
    world = build_world(regime=regime)
    if three_capable:
        _add_capable_supplier(world, "Zeta", 1500, 65000)
        db.session.commit()
    world.lot.framework.call_off_terms = terms_for(regime)
    award_ = ready_award(world)
    shortlists.freeze(world.buyer, award_)
    decisions.recommend(world.buyer, award_.id, world.suppliers["alpha"].id, "Lowest whole-life cost; terms complete.")
    decisions.approve(world.approver, award_.id)
    contract_world = ContractWorld(
        kind="direct_award",
        call_off=award_,
        buyer=world.buyer,
        approver=world.approver,
        supplier_user=world.supplier_users["alpha"],
        losing_supplier_user=world.supplier_users["beta"],
        other_buyer=world.other_buyer,
        staff=make_user("staff"),
        winner=world.suppliers["alpha"],
    )
    db.session.commit()
    if standstill_over:
        publish_award_notice(contract_world)
    if ready_to_sign:
        make_ready_to_sign(contract_world)
    return contract_world
