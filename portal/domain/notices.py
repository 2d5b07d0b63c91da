"""OCDS releases for a call-off's transparency notices, built from plain facts (no database, no clock).

Procurement Act 2023 (DOMAIN.md "Transparency notices"): the contract award notice (UK6, tag "award") after the
award is approved and the assessment summaries are sent, and the contract details notice (UK7, tag "contract") after
both parties sign. Each is one OCDS 1.1.5 release using the fields Find a Tender uses (its UK extension): the notice
type on the notice document, awards[].standstillPeriod and assessmentSummariesDateSent, value.amountGross, parties
identified by GB-PPON (then GB-COH, GB-CHC; portal/domain/parties.py), relatedProcesses pointing at the framework's
ocid, tender.techniques.hasFrameworkAgreement, tender.competitive. PCR 2015: the same award data as a release for
Contracts Finder, with no UK notice type and no Act-only fields. Notice names and descriptions come from
portal/domain/law.py.

Over the Act's large-contract threshold (law.py `LargeContract`, s.52; `large_contract_duties` says which duties are
met) the UK7 lists the published copy of the signed contract in contracts[].documents (documentType "contractSigned",
a public URL) and the KPIs as contracts[].agreedMetrics, the OCDS metrics extension's shape (id, title, description,
observations[{id, measure, notes}]) that Find a Tender's UK extension builds on (it adds noAgreedMetricsRationale, "in
the UK known as key performance indicators"); the carried schema does not merge that extension, so tests check the
shape. KPIs are listed whatever the value; a contract with none that is not over the threshold gives the rationale.

A call-off is its own contracting process: its ocid is `<prefix>-<call-off reference>`, the framework's
`<prefix>-<framework reference>` (the portal keeps no separate framework ocid). A release id is the notice type and a
digest of the release's content, so regenerating an unchanged notice gives the same id and a changed one a new id.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from portal.domain.canonical import canonical_json
from portal.domain.framework_term import Regime
from portal.domain.law import law_for
from portal.domain.money import format_pence
from portal.domain.parties import Identifier

UK6 = "UK6"
UK7 = "UK7"
CONTRACTS_FINDER_AWARD = "contracts_finder_award"

# Prices in the portal exclude VAT; Find a Tender wants the value with VAT too (amountGross). Standard rate.
VAT_RATE = Decimal("0.20")


@dataclass(frozen=True)
class Party:
    legal_name: str
    identifiers: Sequence[Identifier]
    fallback_id: str  # the party id when it has no identifier yet (unique within the release)
    region: str | None = None  # ITL 1 code

    @property
    def party_id(self) -> str:
        return self.identifiers[0].party_id if self.identifiers else self.fallback_id


@dataclass(frozen=True)
class Criterion:
    name: str
    kind: str  # "price", "quality" or "pass_fail"
    weight: Decimal | None  # percentage among the top-level criteria; None for pass/fail


@dataclass(frozen=True)
class CallOffFacts:
    regime: Regime
    ocid_prefix: str
    reference: str
    title: str
    description: str
    framework_reference: str
    framework_name: str
    lot_number: int
    lot_title: str
    cpv_code: str | None  # e.g. "72000000-5"; items carry no classification without one
    competitive: bool  # True for a mini-competition, False for a direct award
    buyer: Party
    supplier: Party
    value_pence: int  # excluding VAT
    awarded_at: datetime  # the approval of the award decision
    award_criteria: str  # OCDS awardCriteria code: priceOnly, costOnly, qualityOnly, ratedCriteria
    criteria: Sequence[Criterion] = field(default_factory=tuple)
    criteria_details: str = ""
    standstill: tuple[datetime, datetime] | None = None  # (start, end) when a (voluntary) standstill applies
    standstill_note: str = ""  # said on the award when no standstill applies (the UK6 says whether one does)
    summaries_sent_at: datetime | None = None
    start_on: date | None = None
    end_on: date | None = None

    @property
    def ocid(self) -> str:
        return f"{self.ocid_prefix}-{self.reference}"

    @property
    def framework_ocid(self) -> str:
        return f"{self.ocid_prefix}-{self.framework_reference}"


def stamp(moment: datetime) -> str:
    """An RFC 3339 date-time in UTC, to the second (a naive value is taken as UTC, as the database stores it)."""
    aware = moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _day_start(day: date) -> str:
    return stamp(datetime.combine(day, time(0, 0), tzinfo=UTC))


def amounts(value_pence: int) -> dict[str, Any]:
    net = Decimal(value_pence) / 100
    gross = (net * (1 + VAT_RATE)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return {"amount": float(net), "amountGross": float(gross), "currency": "GBP"}


def gross_pence(value_pence: int) -> int:
    return int((Decimal(value_pence) * (1 + VAT_RATE)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _party(party: Party, roles: list[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": party.party_id, "name": party.legal_name, "roles": roles}
    if party.identifiers:
        primary, *others = party.identifiers
        entry["identifier"] = {"scheme": primary.scheme.value, "id": primary.id, "legalName": party.legal_name}
        if others:
            entry["additionalIdentifiers"] = [{"scheme": i.scheme.value, "id": i.id} for i in others]
    if party.region:
        entry["address"] = {"region": party.region, "countryName": "United Kingdom"}
    return entry


def _reference(party: Party) -> dict[str, str]:
    return {"id": party.party_id, "name": party.legal_name}


def _notice_document(facts: CallOffFacts, notice_type: str, document_type: str) -> dict[str, Any]:
    law = law_for(facts.regime)
    notice = next((n for n in law.notices if n.code == notice_type), law.notices[0])
    document: dict[str, Any] = {
        "id": f"{facts.reference}-{notice_type}",
        "documentType": document_type,
        "title": f"{notice.name}: {facts.title}",
        "description": f"{notice.when} ({notice.citation}).",
        "language": "en",
    }
    if notice.code:  # Contracts Finder notices have no UK notice type
        document["noticeType"] = notice.code
    return document


def _tender(facts: CallOffFacts) -> dict[str, Any]:
    item: dict[str, Any] = {"id": "1", "description": facts.title, "relatedLot": str(facts.lot_number)}
    if facts.cpv_code:
        item["classification"] = {"scheme": "CPV", "id": facts.cpv_code}
    tender: dict[str, Any] = {
        "id": facts.reference,
        "title": facts.title,
        "status": "complete",
        "procurementMethod": "selective" if facts.competitive else "limited",
        "competitive": facts.competitive,
        "techniques": {"hasFrameworkAgreement": True},
        "awardCriteria": facts.award_criteria,
        "items": [item],
        "lots": [{"id": str(facts.lot_number), "title": facts.lot_title}],
    }
    if facts.description:
        tender["description"] = facts.description
    if facts.criteria_details:
        tender["awardCriteriaDetails"] = facts.criteria_details
    if facts.criteria:
        tender["lots"][0]["awardCriteria"] = {
            "criteria": [
                {
                    "type": "price" if c.kind == "price" else "quality",
                    "name": c.name,
                    **({"numbers": [{"number": float(c.weight), "weight": "percentageExact"}]} if c.weight else {}),
                }
                for c in facts.criteria
            ]
        }
    return tender


def _award(facts: CallOffFacts, uk: bool) -> dict[str, Any]:
    award: dict[str, Any] = {
        "id": f"{facts.reference}-award",
        "title": facts.title,
        "status": "active",
        "date": stamp(facts.awarded_at),
        "value": amounts(facts.value_pence),
        "suppliers": [_reference(facts.supplier)],
        "relatedLots": [str(facts.lot_number)],
    }
    if facts.start_on and facts.end_on:
        award["contractPeriod"] = {"startDate": _day_start(facts.start_on), "endDate": _day_start(facts.end_on)}
    if uk and facts.standstill is not None:
        award["standstillPeriod"] = {"startDate": stamp(facts.standstill[0]), "endDate": stamp(facts.standstill[1])}
    if uk and facts.standstill_note:
        award["description"] = facts.standstill_note
    if uk and facts.summaries_sent_at is not None:
        award["assessmentSummariesDateSent"] = stamp(facts.summaries_sent_at)
    return award


def _base(facts: CallOffFacts, tag: str, notice_type: str, document_type: str, now: datetime) -> dict[str, Any]:
    return {
        "ocid": facts.ocid,
        "date": stamp(now),
        "tag": [tag],
        "initiationType": "tender",
        "language": "en",
        "parties": [
            _party(facts.buyer, ["buyer", "procuringEntity"]),
            _party(facts.supplier, ["supplier"]),
        ],
        "buyer": _reference(facts.buyer),
        "relatedProcesses": [
            {
                "id": "framework",
                "relationship": ["framework"],
                "title": facts.framework_name,
                "scheme": "ocid",
                "identifier": facts.framework_ocid,
            }
        ],
        "documents": [_notice_document(facts, notice_type, document_type)],
    }


def _with_id(release: dict[str, Any], notice_type: str) -> dict[str, Any]:
    content = {k: v for k, v in release.items() if k not in ("id", "date")}
    digest = hashlib.sha256(canonical_json(content).encode()).hexdigest()[:12]
    return {"id": f"{release['ocid']}-{notice_type}-{digest}", **release}


def award_release(facts: CallOffFacts, now: datetime) -> dict[str, Any]:
    """The award notice: UK6 under the Act, the Contracts Finder award under PCR 2015."""
    uk = facts.regime == Regime.PA_2023
    notice_type = UK6 if uk else CONTRACTS_FINDER_AWARD
    release = _base(facts, "award", UK6 if uk else "", "awardNotice", now)
    release["tender"] = _tender(facts)
    release["awards"] = [_award(facts, uk)]
    return _with_id(release, notice_type)


@dataclass(frozen=True)
class Kpi:
    title: str
    measure: str  # how it is measured
    target: str


@dataclass(frozen=True)
class PublishedContract:
    """The copy of the signed contract the buyer published (s.52): its public URL, and whether it is redacted."""

    url: str
    redacted: bool


@dataclass(frozen=True)
class ContractFacts:
    signed_at: datetime
    start_on: date
    end_on: date
    value_pence: int
    kpis: Sequence[Kpi] = ()
    published_copy: PublishedContract | None = None


def _published_document(facts: CallOffFacts, copy: PublishedContract) -> dict[str, Any]:
    how = (
        "with the information exempt from publication redacted" if copy.redacted else "in full: nothing in it is exempt"
    )
    return {
        "id": f"{facts.reference}-contract-published",
        "documentType": "contractSigned",
        "title": f"Signed contract{' (redacted for publication)' if copy.redacted else ''}: {facts.title}",
        "description": f"The contract as signed by both parties, {how}.",
        "url": copy.url,
        "format": "application/pdf",
        "language": "en",
    }


def _agreed_metric(number: int, kpi: Kpi) -> dict[str, Any]:
    metric: dict[str, Any] = {"id": str(number), "title": kpi.title}
    if kpi.measure:
        metric["description"] = kpi.measure
    if kpi.target:
        metric["observations"] = [{"id": f"{number}-target", "measure": kpi.target, "notes": "Target"}]
    return metric


def _no_metrics_rationale(regime: Regime, value_pence: int) -> str | None:
    """Why a contract without KPIs has none, when no large-contract duty applies (over the threshold it is a gap)."""
    large = law_for(regime).large_contract
    if large is None or is_large(regime, value_pence):
        return None
    return (
        f"No key performance indicators were set: the contract is not worth more than "
        f"{format_pence(large.threshold_pence_incl_vat)} including VAT, so {large.provision.citation} does not "
        "require them."
    )


def _contract(facts: CallOffFacts, contract: ContractFacts) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "id": f"{facts.reference}-contract",
        "awardID": f"{facts.reference}-award",
        "title": facts.title,
        "status": "active",
        "period": {"startDate": _day_start(contract.start_on), "endDate": _day_start(contract.end_on)},
        "value": amounts(contract.value_pence),
        "dateSigned": stamp(contract.signed_at),
    }
    if contract.published_copy is not None:
        entry["documents"] = [_published_document(facts, contract.published_copy)]
    if contract.kpis:
        entry["agreedMetrics"] = [_agreed_metric(n, kpi) for n, kpi in enumerate(contract.kpis, start=1)]
    else:
        rationale = _no_metrics_rationale(facts.regime, contract.value_pence)
        if rationale:
            entry["noAgreedMetricsRationale"] = rationale
    return entry


def contract_release(facts: CallOffFacts, contract: ContractFacts, now: datetime) -> dict[str, Any]:
    """The contract details notice (UK7, PA 2023 only): the contract as signed by both parties."""
    if facts.regime != Regime.PA_2023:
        raise ValueError("A contract details notice (UK7) is a Procurement Act 2023 notice")
    release = _base(facts, "contract", UK7, "contractNotice", now)
    release["tender"] = _tender(facts)
    release["awards"] = [{"id": f"{facts.reference}-award", "suppliers": [_reference(facts.supplier)]}]
    release["contracts"] = [_contract(facts, contract)]
    return _with_id(release, UK7)


KPIS = "kpis"
CONTRACT_PUBLISHED = "contract_published"


@dataclass(frozen=True)
class Duty:
    key: str  # KPIS or CONTRACT_PUBLISHED
    text: str
    met: bool


def is_large(regime: Regime, value_pence: int) -> bool:
    """Whether the call-off is over its regime's large-contract threshold (value excluding VAT; compared with VAT)."""
    large = law_for(regime).large_contract
    return large is not None and gross_pence(value_pence) > large.threshold_pence_incl_vat


def large_contract_duties(
    regime: Regime, value_pence: int, kpi_count: int, contract_published: bool = False
) -> list[Duty]:
    """The duties on a contract over the Act's threshold (including VAT), each met or not (s.52); empty otherwise."""
    large = law_for(regime).large_contract
    if large is None or not is_large(regime, value_pence):
        return []
    return [
        Duty(
            KPIS,
            f"At least {large.min_kpis} key performance indicators are set and published in the contract details "
            f"notice ({large.provision.citation}): the contract has {kpi_count}",
            kpi_count >= large.min_kpis,
        ),
        Duty(
            CONTRACT_PUBLISHED,
            f"The contract itself is published, redacted as needed ({large.contract_publication.citation})",
            contract_published,
        ),
    ]


def outstanding(duties: Sequence[Duty]) -> list[Duty]:
    return [d for d in duties if not d.met]


def release_package(releases: Sequence[dict[str, Any]], uri: str, published: datetime, publisher: str,
                    next_uri: str | None = None) -> dict[str, Any]:  # fmt: skip
    """An OCDS release package holding the releases (links.next names the following page, if any)."""
    package: dict[str, Any] = {
        "uri": uri,
        "version": "1.1",
        "publishedDate": stamp(published),
        "publisher": {"name": publisher},
        "releases": list(releases),
    }
    if next_uri:
        package["links"] = {"next": next_uri}
    return package
