"""Journey steps for a Procurement Act 2023 call-off from approval to a signed contract (PDS-DPCE-2025): the
assessment summaries, the contract award notice (UK6) whose publication starts the standstill, the schedules the
contract needs, both signatures and the contract details notice (UK7).

Set-up goes through the services (as the demo does); everything after it happens in the browser. Time passing is
the one kind of shortcut: the standstill's end is moved into the past (competition_award.end_standstill does the
same), and a notice's preparation a few minutes back, because Find a Tender's publication time is entered to the
minute and a notice cannot be published before it was prepared.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, timedelta
from unittest import mock

from sqlalchemy import select

from portal.domain import notices as build
from portal.domain.timefmt import LONDON, today_london
from portal.domain.working_days import is_uk_working_day
from portal.extensions import db
from portal.models import Bid, Competition, DirectAward, Document, Lot, TransparencyNotice, User
from portal.models.base import utcnow
from portal.seed import competitions as seeded_competitions
from portal.seed.competition_specs import CompetitionSpec
from portal.seed.direct_awards import AwardSpec, create_award, ensure_settings
from portal.services.direct_awards import shortlist as shortlists
from portal.services.notices.validation import release_errors
from tests.browser.journey import Persona

FRAMEWORK = "PDS-DPCE-2025"
BUYER, APPROVER = "buyer@surrey.police.example", "approver@surrey.police.example"
COMPETITION = CompetitionSpec(
    "SUR-MC-PA-J1",
    "standstill",
    "Social listening for the Surrey roads policing unit",
    "Listening to public conversation about road safety and local incidents, with weekly alerts for the roads "
    "policing unit and a monthly report for the senior leadership team.",
    value_pence=4_000_000,
    term_months=24,
    starts_on=date(2027, 6, 1),
    framework=FRAMEWORK,
)
DIRECT = AwardSpec(
    "DA-PA-J1",
    "Social media management for the Surrey Police press office",
    "A platform for the press office's 12 officers to publish to and answer the public on every corporate account, "
    "to national standards, with an audit trail of every reply.",
    ("All corporate channels managed in one place", "Meets national standards for social media management"),
    ("Cyber Essentials Plus",),
    24,
    date(2027, 2, 1),
    {"User licence": 12, "Onboarding and configuration": 1, "Training session": 1, "Premium analytics module": 0},
    date(2026, 1, 5),
)
DATA_PROTECTION = {
    "subject_matter": "Publishing to, monitoring and answering the force's social media accounts",
    "duration": "The term of the contract and three months of exit",
    "nature_and_purpose": "Storing, displaying and routing messages from the public so that officers can answer them",
    "personal_data_types": "Names, social media handles, message content and any personal data the public include",
    "data_subject_categories": "Members of the public who contact or mention the force; force staff who use it",
}
KPIS = (
    ("Platform availability", "Monthly availability of the platform, excluding agreed maintenance", "99.9%"),
    ("Support response", "Priority 1 incidents acknowledged within 30 minutes, each month", "95%"),
    ("Publishing accuracy", "Scheduled posts published at the scheduled time, each month", "99.5%"),
)


@dataclass(frozen=True)
class CallOff:
    """Where a call-off's pages are, for either route."""

    kind: str  # "competition" or "direct_award"
    id: int

    @property
    def page(self) -> str:
        return f"/evaluation/{self.id}" if self.kind == "competition" else f"/direct-awards/{self.id}"

    @property
    def notices(self) -> str:
        return f"/{'competitions' if self.kind == 'competition' else 'direct-awards'}/{self.id}/notices"

    @property
    def contract(self) -> str:
        return f"/contracts/{'competitions' if self.kind == 'competition' else 'direct-awards'}/{self.id}"

    def subject(self) -> Competition | DirectAward:
        model = Competition if self.kind == "competition" else DirectAward
        subject = db.session.get_one(model, self.id)
        db.session.refresh(subject)
        return subject


# --- Set-up through the services ---------------------------------------------------------------------------------


def approved_competition() -> CallOff:
    """A fresh PA 2023 mini-competition evaluated, moderated, recommended (voluntary standstill: yes) and approved
    by the demo's `decide`, its lifecycle dated back after its deadline by the demo's dating, with no assessment
    summary sent: the buyer sends them in the browser. `decide` also sends them, and its dating dates the sending:
    the sending is held back and the date cleared again."""
    real_dating = seeded_competitions.date_lifecycle

    def dated_without_summaries(competition: Competition) -> None:
        competition.assessment_summaries_sent_by_id = competition.approved_by_id  # held while it dates a sending
        real_dating(competition)
        competition.assessment_summaries_sent_at = competition.assessment_summaries_sent_by_id = None
        db.session.commit()

    with (
        mock.patch.object(seeded_competitions.summaries, "send_assessment_summaries"),
        mock.patch.object(seeded_competitions, "date_lifecycle", dated_without_summaries),
    ):
        competition = seeded_competitions.decide(COMPETITION, days_ago=20)
    assert competition.approved_at is not None and competition.approved_at < utcnow() - timedelta(days=1)
    assert competition.assessment_summaries_sent_at is None
    assert competition.standstill_applies and competition.standstill_started_at is None
    return CallOff("competition", competition.id)


def shortlisted_direct_award() -> CallOff:
    """A fresh PA 2023 direct award on lot 1 with its shortlist frozen: the buyer recommends it in the browser."""
    lot = db.session.scalars(select(Lot).where(Lot.number == 1, Lot.framework.has(reference=FRAMEWORK))).one()
    ensure_settings(lot)
    award = create_award(DIRECT, lot)
    db.session.commit()
    buyer = db.session.scalars(select(User).where(User.email == BUYER)).one()
    shortlists.freeze(buyer, award)
    return CallOff("direct_award", award.id)


def winner_email(call_off: CallOff) -> str:
    """The e-mail of the first user of the supplier the call-off goes to (who signs for it)."""
    subject = call_off.subject()
    if isinstance(subject, Competition):
        supplier_id = db.session.get_one(Bid, subject.recommended_bid_id).supplier_id
    else:
        supplier_id = subject.recommended_supplier_id
    return db.session.scalars(
        select(User.email).where(User.supplier_id == supplier_id, User.active.is_(True)).order_by(User.id)
    ).first()


# --- Reading the pages ---------------------------------------------------------------------------------------------


def row(person: Persona, key: str) -> str:
    """The value of the first summary list row whose key is exactly `key`."""
    keys = person.page.locator("main .govuk-summary-list__key")
    for n in range(keys.count()):
        if keys.nth(n).inner_text().strip() == key:
            return keys.nth(n).locator("xpath=following-sibling::dd[1]").inner_text().strip()
    raise AssertionError(f"no summary row {key!r} on {person.page.url}:\n{person.main[:2000]}")


def task_status(person: Persona, title: str) -> str:
    item = person.page.locator(".govuk-task-list__item").filter(has_text=title)
    assert item.count() == 1, f"no task {title!r} on {person.page.url}"
    return item.locator(".govuk-task-list__status").inner_text().strip()


def expected_standstill_end(published_on: date) -> str:
    """Counted by hand, not by the portal's code: the end of the 8th UK working day beginning with the day the UK6
    is published (PA 2023 s.51(2) and s.123: no weekend, no bank holiday in any part of the UK)."""
    day, counted = published_on, []
    while len(counted) < 8:
        if is_uk_working_day(day):
            counted.append(day)
        day += timedelta(days=1)
    return f"midnight at the end of {counted[-1].day} {counted[-1]:%B %Y}"


# --- Decisions in the browser ------------------------------------------------------------------------------------


def recommend_direct_award(buyer: Persona, call_off: CallOff) -> None:
    """The buyer recommends the selected supplier; under the Act the page asks about a voluntary standstill,
    recommended and answered yes unless the buyer says otherwise."""
    buyer.visit(call_off.page).follow("Recommend the award")
    selection = buyer.page.inner_text("main .govuk-inset-text")
    assert "is selected from" in selection and "<p" not in selection, selection  # text, not escaped markup
    fieldset = buyer.page.locator("fieldset").filter(has_text="Apply a voluntary standstill period?")
    assert fieldset.count() == 1, buyer.main[:2000]
    hint = fieldset.locator(".govuk-hint").inner_text()
    assert hint.startswith("Recommended. The standstill begins with the day the contract award notice (UK6)"), hint
    assert "8 working days" in hint and "section 51(3)" in hint, hint
    assert buyer.page.locator("input[name=standstill][value=yes]").is_checked()
    assert not buyer.page.locator("input[name=standstill][value=no]").is_checked()
    buyer.page.locator("input[name=supplier_id] + label").first.click()  # ranked first: the one the mechanism selects
    buyer.fill("#justification", "Lowest whole-life cost among capable suppliers; the framework's terms are complete.")
    buyer.press("Recommend the award")
    assert "Award recommended" in buyer.success()


def approve_direct_award(approver: Persona, call_off: CallOff) -> None:
    approver.visit(call_off.page).follow("Approval")
    approver.press("Approve the award")
    assert "Award approved. Publish the contract award notice (UK6) next." in approver.success()
    approver.sees("Direct award approved", "The standstill period begins with the day the contract award notice")


def send_summaries(buyer: Persona, call_off: CallOff) -> None:
    """Before the summaries the UK6 cannot be prepared; then the buyer sends them."""
    buyer.visit(call_off.page)
    assert task_status(buyer, "Send the assessment summaries") == "To do"
    assert task_status(buyer, "Publish the contract award notice (UK6)") == "Cannot start yet"
    buyer.visit(call_off.notices).sees(
        "The contract award notice can be prepared once the assessment summaries have been sent"
    )
    buyer.visit(call_off.page).follow("Send the assessment summaries")
    buyer.press("Send assessment summaries")
    assert "Assessment summaries sent" in buyer.success()
    buyer.visit(call_off.page)
    assert task_status(buyer, "Send the assessment summaries") == "Completed"
    assert task_status(buyer, "Publish the contract award notice (UK6)") == "To do"


# --- Notices -----------------------------------------------------------------------------------------------------


def prepare(buyer: Persona, call_off: CallOff, notice_type: str, label: str) -> None:
    buyer.visit(call_off.notices)
    buyer.press(f"Prepare the {label}")
    assert buyer.h1 == label, buyer.h1
    buyer.sees("Prepared, not yet published", "Open contracting ID (ocid)", "Framework (related process)")


def download_valid_json(buyer: Persona, notice_type: str) -> dict:
    """The notice's JSON as the buyer downloads it: an OCDS release that validates against the UK schema."""
    with buyer.page.expect_download() as download:
        buyer.page.get_by_role("link", name="Download the notice as OCDS JSON").click()
    path = download.value.path()
    with open(path, encoding="utf-8") as handle:
        release = json.load(handle)
    assert release_errors(release) == [], release_errors(release)
    assert [d.get("noticeType") for d in release["documents"]] == [notice_type], release["documents"]
    return release


def record_publication(buyer: Persona, call_off: CallOff, notice_type: str, platform_id: str) -> None:
    """The buyer records Find a Tender's identifier and the time of publication: now, to the minute, as the form
    takes it. A notice cannot be published before it was prepared, and it was prepared seconds ago, perhaps in
    this very minute: its preparation moves back to the start of the minute (the shortcut for the minutes it takes
    to publish a notice on Find a Tender)."""
    owner = TransparencyNotice.competition_id if call_off.kind == "competition" else TransparencyNotice.direct_award_id
    notice = db.session.scalars(
        select(TransparencyNotice).where(owner == call_off.id, TransparencyNotice.notice_type == notice_type)
    ).one()
    db.session.refresh(notice)
    published = utcnow().astimezone(LONDON).replace(second=0, microsecond=0)
    notice.prepared_at = min(notice.prepared_at, published.astimezone(UTC))
    db.session.commit()
    buyer.fill("#platform_notice_id", platform_id).fill_date("published_on", published.date())
    buyer.fill("#published_time", published.strftime("%H:%M")).press("Record publication")
    assert "Publication recorded" in buyer.success()
    assert row(buyer, "Status").startswith("Published ") and platform_id in row(buyer, "Status")
    assert not buyer.page.get_by_role("button", name="Record publication").count()


def publish_award_notice(buyer: Persona, call_off: CallOff, platform_id: str) -> str:
    """Prepare the UK6, read it (its standstill period stated), download and validate its JSON and record its
    publication; returns the standstill end the call-off's page then shows."""
    prepare(buyer, call_off, build.UK6, "Contract award notice (UK6)")
    assert " to midnight at the end of " in row(buyer, "Standstill period"), row(buyer, "Standstill period")
    buyer.sees("The standstill period begins with the day this notice is published")
    release = download_valid_json(buyer, build.UK6)
    award = release["awards"][0]
    assert award["standstillPeriod"]["endDate"], award
    if call_off.kind == "competition":
        assert award["assessmentSummariesDateSent"], award
    record_publication(buyer, call_off, build.UK6, platform_id)
    buyer.screenshot(f"{call_off.kind}-uk6-published")
    ends = expected_standstill_end(today_london())
    buyer.visit(call_off.page)
    buyer.sees(f"and ends {ends}.")
    return ends


def publish_contract_notice(buyer: Persona, call_off: CallOff, platform_id: str) -> None:
    buyer.visit(call_off.notices).sees("The contract details notice (UK7) is due by")
    prepare(buyer, call_off, build.UK7, "Contract details notice (UK7)")
    buyer.sees("Contract signed", "Contract value")
    download_valid_json(buyer, build.UK7)
    record_publication(buyer, call_off, build.UK7, platform_id)


# --- The contract ------------------------------------------------------------------------------------------------


def refused_before_the_notice(approver: Persona, call_off: CallOff) -> None:
    approver.visit(call_off.contract).sees(
        "The contract cannot be signed until the contract award notice (UK6) has been published and its "
        "publication recorded here"
    )


def refused_in_standstill(buyer: Persona, approver: Persona, call_off: CallOff, ends: str) -> None:
    """During the standstill: no confirming the award (a competition) and no signing, each saying why."""
    if call_off.kind == "competition":
        buyer.visit(call_off.page)
        assert not buyer.page.get_by_role("button", name="Confirm the contract award").count()
        assert task_status(buyer, "Standstill and contract award") == "Cannot start yet"
        # Confirming anyway (the form the page would show) is refused with the reason.
        url = buyer.cast.base + f"/evaluation/{call_off.id}/confirm-award"
        assert buyer.page.request.post(url, max_redirects=0).status == 302
        buyer.visit(call_off.page)
        message = buyer.page.inner_text(".govuk-notification-banner")
        assert f"The contract cannot be awarded until the standstill period ends (it ends {ends})" in message, message
    refusal = f"The contract cannot be signed until the standstill period ends ({ends})"
    approver.visit(call_off.contract).sees(refusal)
    assert not approver.page.locator("a[role=button]").filter(has_text="Sign version").count()
    # Going to the signing page anyway: the same reason, and no form.
    document_id = db.session.scalar(
        select(Document.id)
        .where(Document.subject_type == call_off.kind, Document.subject_id == call_off.id)
        .where(Document.kind == "call_off_contract")
        .order_by(Document.version.desc())
    )
    approver.visit(f"/contracts/{document_id}/sign").sees(refusal)
    assert not approver.page.get_by_role("button", name="Sign the contract").count()


def end_standstill(call_off: CallOff) -> None:
    """The shortcut for the standstill running its course."""
    subject = call_off.subject()
    assert subject.standstill_ends_at is not None and subject.standstill_ends_at > utcnow()
    subject.standstill_ends_at = utcnow() - timedelta(seconds=1)
    db.session.commit()


def confirm(buyer: Persona, call_off: CallOff) -> None:
    buyer.visit(call_off.page)
    assert task_status(buyer, "Standstill and contract award") == "To do"
    buyer.press("Confirm the contract award")
    assert "Contract award confirmed" in buyer.success()
    assert "Awarded" in buyer.tags()


def generate(buyer: Persona, call_off: CallOff) -> None:
    """The buyer generates the contract once the award is approved, so both parties can read it during standstill."""
    buyer.visit(call_off.page).follow("Sign the contract, set its KPIs and see its versions")
    buyer.press("Generate the contract")
    assert "Version 1 of the contract is ready to download" in buyer.success()


def complete_schedules(buyer: Persona, call_off: CallOff, kpis: int) -> None:
    """The buyer sees what stops the contract being signed, completes the data protection schedule and the KPIs,
    and generates the contract again with them."""
    buyer.visit(call_off.contract)
    buyer.sees("Before the contract can be signed", "The data protection schedule has not been completed")
    buyer.follow("Complete the data protection schedule", exact=True)
    buyer.page.locator("input[name=processes_personal_data][value=yes]").check()
    for field, text in DATA_PROTECTION.items():
        buyer.fill(f"#{field}", text)
    buyer.page.locator("input[name=law_enforcement_processing][value=no]").check()
    buyer.press("Save the data protection schedule")
    assert "Data protection schedule saved" in buyer.success()
    buyer.visit(call_off.contract + "/kpis")
    for title, measure, target in KPIS[:kpis]:
        buyer.fill("#title", title).fill("#measure", measure).fill("#target", target).press("Add KPI")
        assert f"KPI added: {title}" in buyer.success()
    buyer.visit(call_off.contract).does_not_see("Before the contract can be signed")
    buyer.press("Generate the contract again")
    assert "Version 2 of the contract is ready to download" in buyer.success()


def sign(person: Persona, call_off: CallOff, party: str, role: str, *, last: bool) -> None:
    person.visit(call_off.contract)
    person.follow(f"Sign version 2 for the {party}")
    subject = call_off.subject()
    if party == "buyer":  # the contracting body, as the contract names it: a police force is not a legal person
        assert person.h1 == f"Sign the contract for {subject.buyer_organisation.legal_name}", person.h1
        assert subject.buyer_organisation.legal_name != subject.buyer_organisation.name
    person.fill("#signer_role", role)
    person.page.check("#confirm")
    person.press("Sign the contract")
    expected = "Both parties have signed: the signed contract is ready" if last else "You have signed"
    assert expected in person.success(), person.success()
    if last:
        person.sees("Contract signed", "By both parties on")
