"""Who the parties to a call-off are: organisation identifier schemes and UK regions.

Contracts, letters and (Procurement Act 2023) notices name each party by its legal body and its identifiers. An
identifier is a value in a register named by its org-id.guide scheme code, as OCDS `parties[].identifier` and
`additionalIdentifiers` carry it and as Find a Tender publishes it:

- GB-PPON: the Public Procurement Organisation Number the central digital platform gives every organisation that
  registers (buyers and suppliers). The published UK schema and code lists (shared/data/ocds) give no pattern; the
  platform's own check (cabinetoffice/GCGS-Central-Digital-Platform) is four letters, four digits, four letters,
  separated by hyphens, for example PXXB-7538-XLDD.
- GB-COH: a Companies House company number, eight characters: eight digits, or a two-letter register prefix (SC
  Scotland, NI Northern Ireland, OC limited liability partnership, ...) and six digits (R0 and six digits for the
  older Northern Ireland register).
- GB-CHC: a Charity Commission for England and Wales registered charity number, six or seven digits.

The region is an ITL 1 code (ONS International Territorial Levels, which replaced NUTS in the UK from 2021; Find a
Tender gives an organisation's and a delivery place's region as an ITL code). The UK schema names no code list for
it, so the twelve ITL 1 regions are carried here (source: ONS, "International Territorial Levels (ITL)", ITL 1
codes TLC to TLN).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import NamedTuple


class Scheme(StrEnum):
    """org-id.guide scheme codes, as Find a Tender writes them in `identifier.scheme`."""

    GB_PPON = "GB-PPON"
    GB_COH = "GB-COH"
    GB_CHC = "GB-CHC"


def _squeeze_upper(value: str) -> str:
    """Spaces dropped and upper case: 'pxxb - 7538 - xldd' and 'sc 123456' are how people type them."""
    return "".join(value.split()).upper()


def _ppon(value: str) -> str:
    """As _squeeze_upper, and the 'GB-PPON-' or 'GB-PPON:' prefix a notice's party id carries is dropped."""
    cleaned = _squeeze_upper(value)
    for prefix in ("GB-PPON-", "GB-PPON:"):
        if cleaned.startswith(prefix):
            return cleaned[len(prefix) :]
    return cleaned


def _digits(value: str) -> str:
    return "".join(value.split())


@dataclass(frozen=True)
class SchemeRule:
    scheme: Scheme
    label: str
    pattern: re.Pattern[str]
    normalise: Callable[[str], str]
    # The GOV.UK error message for a value that does not match, with an example of the right shape.
    problem: str
    max_length: int


SCHEMES: Mapping[Scheme, SchemeRule] = {
    Scheme.GB_PPON: SchemeRule(
        Scheme.GB_PPON,
        "Public Procurement Organisation Number (PPON)",
        re.compile(r"^[A-Z]{4}-[0-9]{4}-[A-Z]{4}$"),
        _ppon,
        "Enter a PPON in the correct format, like PXXB-7538-XLDD",
        14,
    ),
    Scheme.GB_COH: SchemeRule(
        Scheme.GB_COH,
        "Companies House number",
        re.compile(r"^(?:[0-9]{8}|[A-Z]{2}[0-9]{6}|R0[0-9]{6})$"),
        _squeeze_upper,
        "Enter a Companies House number in the correct format, like 05379456 or SC123456",
        8,
    ),
    Scheme.GB_CHC: SchemeRule(
        Scheme.GB_CHC,
        "Registered charity number",
        re.compile(r"^[0-9]{6,7}$"),
        _digits,
        "Enter a registered charity number in the correct format, 6 or 7 digits, like 1123456",
        7,
    ),
}

# Find a Tender identifies every party by its PPON, so that is the primary identifier when there is one; a party
# without a PPON yet is identified by its company number, then its charity number.
PRIMARY_ORDER: tuple[Scheme, ...] = (Scheme.GB_PPON, Scheme.GB_COH, Scheme.GB_CHC)


def normalise(scheme: Scheme, value: str) -> str:
    """The value as stored and published ('' for a blank one); it may still be malformed: see identifier_problem."""
    return SCHEMES[scheme].normalise(value or "")


def identifier_problem(scheme: Scheme, value: str) -> str | None:
    """Why `value` (already normalised) is not an identifier in `scheme`, or None if it is one."""
    rule = SCHEMES[scheme]
    if rule.pattern.match(value) is None:
        return rule.problem
    return None


class Identifier(NamedTuple):
    scheme: Scheme
    id: str

    @property
    def label(self) -> str:
        return SCHEMES[self.scheme].label

    @property
    def party_id(self) -> str:
        """The `parties[].id` Find a Tender builds from it, for example GB-PPON-PXXB-7538-XLDD."""
        return f"{self.scheme.value}-{self.id}"


def identifiers(values: Mapping[Scheme, str | None]) -> list[Identifier]:
    """A party's identifiers, primary first (PRIMARY_ORDER); blank ones left out."""
    return [Identifier(scheme, value) for scheme in PRIMARY_ORDER if (value := values.get(scheme))]


# --- Regions -------------------------------------------------------------------------------------------------------


class ItlRegion(NamedTuple):
    code: str
    name: str


# ONS International Territorial Levels, level 1 (the UK's nine English regions and three nations).
ITL1_REGIONS: tuple[ItlRegion, ...] = (
    ItlRegion("TLC", "North East"),
    ItlRegion("TLD", "North West"),
    ItlRegion("TLE", "Yorkshire and The Humber"),
    ItlRegion("TLF", "East Midlands"),
    ItlRegion("TLG", "West Midlands"),
    ItlRegion("TLH", "East of England"),
    ItlRegion("TLI", "London"),
    ItlRegion("TLJ", "South East"),
    ItlRegion("TLK", "South West"),
    ItlRegion("TLL", "Wales"),
    ItlRegion("TLM", "Scotland"),
    ItlRegion("TLN", "Northern Ireland"),
)
ITL1_NAMES: Mapping[str, str] = {r.code: r.name for r in ITL1_REGIONS}


def region_problem(code: str) -> str | None:
    """Why `code` is not an ITL 1 code, or None (blank is allowed: the region is optional)."""
    if code and code not in ITL1_NAMES:
        return "Select the region from the list"
    return None


def region_label(code: str | None) -> str:
    """'TLJ' -> 'South East (TLJ)'; '' for none."""
    if not code:
        return ""
    return f"{ITL1_NAMES.get(code, code)} ({code})"


def region_code_for(name: str) -> str | None:
    """The ITL 1 code whose name this is (any case), or None: carries free-text regions over to codes."""
    wanted = " ".join(name.split()).lower()
    return next((r.code for r in ITL1_REGIONS if r.name.lower() == wanted), None)


# --- Entry ---------------------------------------------------------------------------------------------------------

# The model attribute that holds each scheme's identifier (a column each: one identifier per scheme per party).
FIELD_SCHEMES: Mapping[str, Scheme] = {
    "ppon": Scheme.GB_PPON,
    "companies_house_number": Scheme.GB_COH,
    "charity_number": Scheme.GB_CHC,
}


def clean_field(field: str, value: str | None) -> tuple[str | None, str | None]:
    """An identifier or region field as entered -> (stored value, None) or (None, the problem). Blank is None."""
    if field == "itl_region":
        code = _squeeze_upper(value or "")
        return (code or None, None) if region_problem(code) is None else (None, region_problem(code))
    scheme = FIELD_SCHEMES[field]
    cleaned = normalise(scheme, value or "")
    if not cleaned:
        return None, None
    problem = identifier_problem(scheme, cleaned)
    return (None, problem) if problem else (cleaned, None)
