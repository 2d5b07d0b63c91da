"""The shapes of the law table (portal/domain/law.py): what a regime says about notices, standstill, assessment
summaries, conflicts, exclusions, direct award and the framework term. The values live in law.py."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from portal.domain.framework_term import Regime


class StandstillStart(StrEnum):
    """Which day a standstill's count starts from."""

    # PA 2023 s.51(2): "beginning with the day" of the trigger: that day is day 1 when it is a working day.
    BEGINNING_WITH_DAY = "beginning-with-day"
    # PCR 2015 practice (reg 87(2) convention): the day of the trigger is not counted; day 1 is the day after.
    DAY_AFTER = "day-after"


class DayUnit(StrEnum):
    WORKING_DAYS = "working days"
    CALENDAR_DAYS = "calendar days"


class WorkingDayCalendar(StrEnum):
    """Whose bank holidays make a day non-working."""

    # PA 2023 s.123: not a bank holiday in any part of the United Kingdom.
    WHOLE_UK = "whole-uk"
    # PCR 2015 and contract clauses: the framework's region (its `bank_holiday_region`).
    FRAMEWORK_REGION = "framework-region"


@dataclass(frozen=True)
class Provision:
    citation: str
    wording: str


@dataclass(frozen=True)
class Notice:
    """A notice a call-off needs: its code on the platform (empty when it has none), name, where and when."""

    code: str
    name: str
    platform: str
    when: str
    citation: str


@dataclass(frozen=True)
class Standstill:
    mandatory_for_call_offs: bool
    length: int
    unit: DayUnit
    start: StandstillStart
    calendar: WorkingDayCalendar
    # The last day moves to the next working day (framework region) when it is not one (PCR practice).
    roll_to_working_day: bool
    basis: Provision
    # `letter_wording` fields: {buyer} the buyer's name, {days} the length in force for this call-off.
    letter_wording: str
    working_day: Provision
    # What starts the count, as a phrase: "the standstill begins <starts_when>".
    starts_when: str
    # True when the buyer chooses at award whether to apply the (voluntary) standstill; False when it always applies.
    buyer_chooses: bool
    # Why the choice matters, shown beside it on the recommendation pages.
    choice_hint: str
    # Said (pages, letters, the award notice) when the buyer chose no standstill. Fields: {buyer}.
    not_applied_wording: str
    # Said in letters and pages before the standstill has started (its end is not known yet). Fields: {days}.
    pending_wording: str


@dataclass(frozen=True)
class LargeContract:
    """Duties on a call-off over a value threshold (value including VAT), if the regime has any."""

    threshold_pence_incl_vat: int
    min_kpis: int
    provision: Provision  # the key performance indicators
    contract_publication: Provision  # the contract itself, redacted as the law allows


@dataclass(frozen=True)
class AssessmentSummary:
    """What an assessment summary (or standstill letter) must contain, and the provision it follows."""

    provision: Provision
    contents: tuple[str, ...]
    # Heading and sentence introducing the winning tender's scores and the reasons for them.
    winner_heading: str
    winner_intro: str
    # `contact_wording` fields: {name}, {role} (job title, or the role), {email}.
    contact_wording: str
    # Said when the summaries are sent, for the buyer: what sending them does under this regime.
    sending_wording: str


@dataclass(frozen=True)
class FrameworkTerm:
    max_months: int
    # True when a longer term may be justified (PCR 2015 reg 33(3): "save in exceptional cases duly justified").
    longer_if_justified: bool
    # `wording` fields: {end} the end the term would reach, {latest} the latest end allowed.
    provision: Provision


@dataclass(frozen=True)
class RegimeLaw:
    regime: Regime
    name: str
    short_name: str
    instruments: tuple[str, ...]
    notices: tuple[Notice, ...]
    award_publication: Provision
    large_contract: LargeContract | None
    standstill: Standstill
    assessment_summary: AssessmentSummary
    conflicts: Provision
    exclusion: Provision
    direct_award: Provision
    criteria_refinement: Provision
    framework_term: FrameworkTerm

    def citations(self) -> tuple[str, ...]:
        """Every citation string this regime's entries use (each once, in table order)."""
        found = [n.citation for n in self.notices]
        found += [self.award_publication.citation, self.standstill.basis.citation, self.standstill.working_day.citation]
        if self.large_contract is not None:
            found += [self.large_contract.provision.citation, self.large_contract.contract_publication.citation]
        found += [
            self.assessment_summary.provision.citation,
            self.conflicts.citation,
            self.exclusion.citation,
            self.direct_award.citation,
            self.criteria_refinement.citation,
            self.framework_term.provision.citation,
        ]
        return tuple(dict.fromkeys(found))

    def for_documents(self) -> dict[str, str]:
        """The citations and sentences a document embeds in its data (its JSON is the whole input of its pages)."""
        return {
            "name": self.name,
            "standstill": self.standstill.basis.citation,
            "working_day": self.standstill.working_day.wording,
            "assessment_summary": self.assessment_summary.provision.wording,
            "conflicts": self.conflicts.citation,
            "direct_award": self.direct_award.citation,
            "award_publication": self.award_publication.wording,
            "summary_citation": self.assessment_summary.provision.citation,
            "winner_heading": self.assessment_summary.winner_heading,
            "winner_intro": self.assessment_summary.winner_intro,
        }

    def summary_contact(self, name: str, role: str, email: str) -> str:
        return self.assessment_summary.contact_wording.format(name=name, role=role, email=email)

    def standstill_letter_basis(self, buyer: str, days: int) -> str:
        return self.standstill.letter_wording.format(buyer=buyer, days=days)

    def standstill_not_applied(self, buyer: str) -> str:
        return self.standstill.not_applied_wording.format(buyer=buyer)

    def standstill_pending(self, days: int) -> str:
        return self.standstill.pending_wording.format(days=days)
