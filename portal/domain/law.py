"""One place for the law: what each legal regime requires of a framework call-off, and how the portal says it.

A framework carries one regime (DOMAIN.md "Two legal regimes"): the Public Contracts Regulations 2015 for frameworks
let before 24 February 2025, the Procurement Act 2023 (with the Procurement Regulations 2024) for those let from then.
`LAW[regime]` is that regime's `RegimeLaw`: a table of frozen values, read by the domain (standstill counting, the
framework term), the services (letters, reports) and the templates (through the `law_for` Jinja global). Nothing else
spells a citation: a page or document that names a provision takes both the citation and the sentence from here,
so a PCR 2015 call-off never cites the Act and a PA 2023 call-off never cites the Regulations.

Each `Provision` has `citation` (the short reference, e.g. "Procurement Act 2023, section 45") and `wording` (the
sentence pages and documents use). Wording with blanks uses `str.format` fields, named in the entry's comment.
`RegimeLaw.citations()` lists every citation string a regime uses and `RegimeLaw.instruments` the legislation it
draws on: tests use them to check that no document of one regime cites the other's law.

Not legal advice: the wording follows the provisions as DOMAIN.md summarises them.
"""

from __future__ import annotations

from portal.domain.framework_term import Regime
from portal.domain.law_model import (
    AssessmentSummary,
    DayUnit,
    FrameworkTerm,
    LargeContract,
    Notice,
    Provision,
    RegimeLaw,
    Standstill,
    StandstillStart,
    WorkingDayCalendar,
)

__all__ = [
    "LAW",
    "PA_2023",
    "PCR_2015",
    "AssessmentSummary",
    "DayUnit",
    "FrameworkTerm",
    "LargeContract",
    "Notice",
    "Provision",
    "RegimeLaw",
    "Standstill",
    "StandstillStart",
    "WorkingDayCalendar",
    "law_for",
]


_PA = "Procurement Act 2023"
_PR = "Procurement Regulations 2024"
_PCR = "Public Contracts Regulations 2015"

PA_2023 = RegimeLaw(
    regime=Regime.PA_2023,
    name=_PA,
    short_name="PA 2023",
    instruments=(_PA, _PR),
    notices=(
        Notice(
            code="UK6",
            name="Contract award notice",
            platform="Find a Tender (the central digital platform)",
            when="Before entering into the contract, after the assessment summaries are sent to every assessed "
            "supplier; it says whether a voluntary standstill applies and when it ends",
            citation=f"{_PA}, section 50",
        ),
        Notice(
            code="UK7",
            name="Contract details notice",
            platform="Find a Tender (the central digital platform)",
            when="Within 30 days of entering into the contract",
            citation=f"{_PA}, section 53",
        ),
    ),
    award_publication=Provision(
        citation=f"{_PA}, section 50",
        wording="The award is published on Find a Tender as a contract award notice (UK6) before the contract is "
        "entered into (section 50 of the Procurement Act 2023).",
    ),
    large_contract=LargeContract(
        threshold_pence_incl_vat=5_000_000_00,
        min_kpis=3,
        provision=Provision(
            citation=f"{_PA}, section 52",
            wording="Over £5 million including VAT at least three key performance indicators are set and published "
            "(section 52 of the Procurement Act 2023).",
        ),
        contract_publication=Provision(
            citation=f"{_PA}, section 53(3)",
            wording="Over £5 million including VAT the contract itself is published within 90 days of entering into "
            "it (section 53(3) of the Procurement Act 2023), with information exempt from disclosure redacted "
            "(section 94).",
        ),
    ),
    standstill=Standstill(
        mandatory_for_call_offs=False,
        length=8,
        unit=DayUnit.WORKING_DAYS,
        start=StandstillStart.BEGINNING_WITH_DAY,
        calendar=WorkingDayCalendar.WHOLE_UK,
        roll_to_working_day=False,
        basis=Provision(
            citation=f"{_PA}, section 51(3)",
            wording="Call-offs under a framework are exempt from the mandatory standstill (Procurement Act 2023, "
            "section 51(3)); a voluntary standstill of 8 working days on the terms of section 51 is applied.",
        ),
        letter_wording="Call-offs under a framework are exempt from the mandatory standstill (Procurement Act 2023, "
        "section 51(3)); {buyer} applies a voluntary standstill period of {days} working days on the terms of "
        "section 51 and will not enter into the contract before it ends. A working day is any day except a "
        "Saturday, a Sunday and a bank holiday in any part of the United Kingdom (section 123).",
        working_day=Provision(
            citation=f"{_PA}, section 123",
            wording="A working day is any day except a Saturday, a Sunday and a bank holiday in any part of the "
            "United Kingdom (section 123 of the Procurement Act 2023).",
        ),
        starts_when="with the day the contract award notice (UK6) is published",
        buyer_chooses=True,
        choice_hint="Recommended. The standstill begins with the day the contract award notice (UK6) is published "
        "and lasts 8 working days (section 51 of the Procurement Act 2023): bidders can raise concerns before the "
        "contract is entered into. Framework call-offs are exempt from the mandatory standstill (section 51(3)).",
        not_applied_wording="No standstill period applies: call-offs under a framework are exempt from the mandatory "
        "standstill (Procurement Act 2023, section 51(3)) and {buyer} has chosen not to apply a voluntary one. The "
        "contract may be entered into once the contract award notice (UK6) has been published.",
        pending_wording="The standstill period begins with the day the contract award notice (UK6) is published on "
        "Find a Tender and lasts {days} working days (section 51 of the Procurement Act 2023); the contract will not "
        "be entered into before it ends.",
    ),
    assessment_summary=AssessmentSummary(
        provision=Provision(
            citation=f"regulation 31 of the {_PR}",
            wording="This summary gives the information required by regulation 31 of the Procurement Regulations 2024.",
        ),
        contents=(
            "the supplier's name and identifier",
            "the award criteria with their relative importance and how each was scored",
            "the supplier's score per criterion and sub-criterion, with reasons by reference to its tender",
            "sub-totals and total",
            "the same for the winning tender",
            "for an unsuccessful supplier, any further reason it lost (such as disqualification)",
            "a contact for questions during the standstill period",
        ),
        winner_heading="The winning tender's scores and the reasons for them",
        winner_intro="Regulation 31 of the Procurement Regulations 2024 requires the same information for the "
        "winning tender: its score on each criterion and sub-criterion, with the reasons by reference to that tender.",
        contact_wording="Questions about this assessment summary during the standstill period go to {name}, {role}, "
        "at {email}.",
        sending_wording="Sending the assessment summaries gives every assessed supplier its summary (regulation 31 "
        "of the Procurement Regulations 2024); the contract award notice (UK6) can be published only after they are "
        "sent, and records the date they were sent (section 50 of the Procurement Act 2023).",
    ),
    conflicts=Provision(
        citation=f"{_PA}, sections 81 to 83",
        wording="Everyone who influences the decision declares any conflict of interest, and conflicts are kept "
        "under review and mitigated (Procurement Act 2023, sections 81 to 83).",
    ),
    exclusion=Provision(
        citation=f"{_PA}, sections 57 and 58",
        wording="Under the Procurement Act 2023 (sections 57 and 58) a debarment list entry lasts at most 5 years "
        "on a mandatory ground and 3 years on a discretionary one.",
    ),
    direct_award=Provision(
        citation=f"{_PA}, section 45",
        wording="Under the Procurement Act 2023 (section 45) a call-off may be awarded directly only where the "
        "framework sets the terms and an objective way to choose the supplier.",
    ),
    criteria_refinement=Provision(
        citation=f"{_PA}, section 46",
        wording="A call-off's criteria may refine the framework's award criteria, not replace them (Procurement "
        "Act 2023, section 46).",
    ),
    framework_term=FrameworkTerm(
        max_months=48,
        longer_if_justified=False,
        provision=Provision(
            citation=f"{_PA}, section 47",
            wording="Under the Procurement Act 2023 (s.47) a framework's term, with every extension, is at most "
            "4 years: this one would end on {end}, but must end by {latest}.",
        ),
    ),
)

PCR_2015 = RegimeLaw(
    regime=Regime.PCR_2015,
    name=_PCR,
    short_name="PCR 2015",
    instruments=(_PCR,),
    notices=(
        Notice(
            code="",
            name="Contract award on Contracts Finder",
            platform="Contracts Finder",
            when="After the contract is awarded",
            citation=f"{_PCR}, regulation 108",
        ),
    ),
    award_publication=Provision(
        citation=f"{_PCR}, regulation 108",
        wording="The award is published on Contracts Finder (regulation 108 of the Public Contracts Regulations "
        "2015); no Procurement Act notices apply.",
    ),
    large_contract=None,
    standstill=Standstill(
        mandatory_for_call_offs=False,
        length=10,
        unit=DayUnit.CALENDAR_DAYS,
        start=StandstillStart.DAY_AFTER,
        calendar=WorkingDayCalendar.FRAMEWORK_REGION,
        roll_to_working_day=True,
        basis=Provision(
            citation=f"{_PCR}, regulation 87",
            wording="Call-offs under a framework are exempt from the mandatory standstill of the Public Contracts "
            "Regulations 2015 (regulation 87); a voluntary standstill of calendar days is applied.",
        ),
        letter_wording="Call-offs under a framework are exempt from the mandatory standstill (Public Contracts "
        "Regulations 2015, regulation 87); {buyer} observes a voluntary standstill period of {days} calendar days and "
        "will not enter into the contract before it ends.",
        working_day=Provision(
            citation=f"{_PCR}, regulation 2(1)",
            wording="A standstill that would end on a Saturday, a Sunday or a bank holiday of the framework's region "
            "ends at the end of the next working day.",
        ),
        starts_when="on the day after the standstill letters are sent",
        buyer_chooses=False,
        choice_hint="",
        not_applied_wording="No standstill period applies: call-offs under a framework are exempt from the mandatory "
        "standstill (Public Contracts Regulations 2015, regulation 87) and {buyer} has chosen not to apply a "
        "voluntary one.",
        pending_wording="The voluntary standstill period of {days} calendar days runs from the day after the "
        "standstill letters are sent; the contract will not be entered into before it ends.",
    ),
    assessment_summary=AssessmentSummary(
        provision=Provision(
            citation=f"regulation 86 of the {_PCR}",
            wording="This summary gives the information a standstill letter gives under regulation 86 of the "
            "Public Contracts Regulations 2015, followed here for a voluntary standstill.",
        ),
        contents=(
            "the name of the successful supplier",
            "the characteristics and relative advantages of the successful tender",
            "the supplier's own scores and reasons",
            "the end of the standstill period",
            "a contact for questions",
        ),
        winner_heading="Characteristics and relative advantages of the successful tender",
        winner_intro="The successful tender's score on each criterion and the moderated reasons for it, beside your "
        "own, show where it was stronger than yours.",
        contact_wording="Questions about this letter during the standstill period go to {name}, {role}, at {email}.",
        sending_wording="Sending the letters tells every tenderer the outcome, the characteristics and relative "
        "advantages of the successful tender and the end of the voluntary standstill period (regulation 86 of the "
        "Public Contracts Regulations 2015, followed for a call-off).",
    ),
    conflicts=Provision(
        citation=f"{_PCR}, regulation 24",
        wording="Everyone who influences the decision declares any conflict of interest, and conflicts are "
        "prevented, identified and remedied (Public Contracts Regulations 2015, regulation 24).",
    ),
    exclusion=Provision(
        citation=f"{_PCR}, regulation 57",
        wording="Under the Public Contracts Regulations 2015 (regulation 57) an exclusion lasts at most 5 years on "
        "a mandatory ground and 3 years on a discretionary one.",
    ),
    direct_award=Provision(
        citation=f"{_PCR}, regulation 33(7) and (8)",
        wording="Under the Public Contracts Regulations 2015 (regulation 33(7) and (8)) a call-off may be awarded "
        "directly only where the framework sets all the terms and objective conditions for choosing the supplier.",
    ),
    criteria_refinement=Provision(
        citation=f"{_PCR}, regulation 33(8)",
        wording="A call-off competition is on the framework's terms, more precisely formulated where necessary, not "
        "replaced (Public Contracts Regulations 2015, regulation 33(8)).",
    ),
    framework_term=FrameworkTerm(
        max_months=48,
        longer_if_justified=True,
        provision=Provision(
            citation=f"{_PCR}, regulation 33(3)",
            wording="Under the Public Contracts Regulations 2015 (regulation 33(3)) a framework's term is at most "
            "4 years save in exceptional cases duly justified: this one would end on {end}, after {latest}.",
        ),
    ),
)

LAW: dict[Regime, RegimeLaw] = {Regime.PA_2023: PA_2023, Regime.PCR_2015: PCR_2015}


def law_for(regime: str | Regime) -> RegimeLaw:
    """The law of a regime, by enum or its stored value ('pa2023', 'pcr2015')."""
    return LAW[Regime(regime)]
