"""A framework's call-off terms: contract text with {placeholders}, checked and filled without evaluating it.

Framework staff write the terms as plain text. A placeholder is one of the names in PLACEHOLDERS in single
braces, e.g. {buyer_name}; a literal brace is written twice ({{ or }}), as in Python format strings.
Filling replaces each placeholder by plain substitution: no attribute or index access, no format
specification and no template engine, so nothing staff type is ever evaluated.

Layout, for the contract document (`blocks`): a line such as "1. Definitions" (a number, a full stop and a
title) starts a numbered section; a line starting "1.1" starts a clause; other lines continue the clause
or paragraph above them; blank lines end paragraphs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from portal.domain.framework_term import add_months
from portal.domain.working_days import Region

# The placeholders staff may use, with what each becomes (shown beside the form).
PLACEHOLDERS = {
    "buyer_name": "The buying organisation, e.g. Surrey Police",
    "supplier_name": "The supplier's legal name",
    "call_off_reference": "The competition or direct award reference",
    "call_off_title": "The title of the call-off",
    "framework_reference": "The framework's reference, e.g. PDS-SMME-2024",
    "framework_name": "The framework's name",
    "lot_name": "The lot, e.g. Lot 1: Social media management platform",
    "start_date": "The contract start date, e.g. 1 April 2027",
    "end_date": "The last day of the contract term, e.g. 31 March 2029",
    "term_months": "The contract term in months, e.g. 24",
    "contract_value": "The contract value over the term, e.g. £123,456.00",
    "regime": "The law the framework was let under, e.g. Procurement Act 2023",
    "governing_law": "The law governing the contract, from the framework's nation, e.g. England and Wales",
    "courts": "The courts with jurisdiction, from the framework's nation, e.g. the courts of England and Wales",
}


@dataclass(frozen=True)
class GoverningLaw:
    """The law and courts of a contract, by the framework's nation (its bank-holiday region)."""

    law: str  # "the law of {law}"
    courts: str
    clause: str  # the order form's sentence


def _governing(law: str, courts: str) -> GoverningLaw:
    return GoverningLaw(
        law=law,
        courts=courts,
        clause=f"The Call-Off Contract and any dispute or claim arising out of or in connection with it (including "
        f"non-contractual disputes or claims) are governed by the law of {law}, and {courts} have exclusive "
        "jurisdiction.",
    )


# One row per nation of the United Kingdom: its law and its courts (a table, not a chain of ifs).
GOVERNING_LAW: dict[Region, GoverningLaw] = {
    Region.ENGLAND_AND_WALES: _governing("England and Wales", "the courts of England and Wales"),
    Region.SCOTLAND: _governing("Scotland", "the Scottish courts"),
    Region.NORTHERN_IRELAND: _governing("Northern Ireland", "the courts of Northern Ireland"),
}


def governing_law(region: str | Region) -> GoverningLaw:
    """The governing law and courts for a framework of `region` ('england-and-wales', 'scotland', ...)."""
    return GOVERNING_LAW[Region(region)]


_NAME = re.compile(r"[a-z_][a-z0-9_]*")
_HEADING = re.compile(r"^(\d{1,2})\.\s+(\S.*)$")
_CLAUSE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\.?\s+(\S.*)$")
_MAX_SHOWN = 40  # a runaway "placeholder" is cut short in the message


@dataclass(frozen=True)
class TermsProblem:
    line: int
    message: str


@dataclass(frozen=True)
class Placeholder:
    name: str


def _line_of(text: str, index: int) -> int:
    return text.count("\n", 0, index) + 1


def _closing(text: str, start: int) -> int:
    """Index of the } closing the { at `start` on the same line, or -1 (another { or the line end first)."""
    for index in range(start + 1, len(text)):
        char = text[index]
        if char == "}":
            return index
        if char in "{\n":
            return -1
    return -1


def _placeholder_problem(name: str) -> str | None:
    if name in PLACEHOLDERS:
        return None
    shown = name if len(name) <= _MAX_SHOWN else name[:_MAX_SHOWN] + "…"
    if not _NAME.fullmatch(name):
        return f"{{{shown}}} is not a placeholder: use names like {{buyer_name}}; write {{{{ and }}}} for braces"
    return f"{{{shown}}} is not a known placeholder"


def parse(text: str) -> tuple[list[str | Placeholder], list[TermsProblem]]:
    """The text as literal pieces and placeholders, and every problem found (unknown names, unbalanced braces)."""
    parts: list[str | Placeholder] = []
    problems: list[TermsProblem] = []
    literal: list[str] = []
    index = 0
    while index < len(text):
        char = text[index]
        pair = text[index : index + 2]
        if pair in ("{{", "}}"):
            literal.append(char)
            index += 2
            continue
        if char == "}":
            problems.append(TermsProblem(_line_of(text, index), "a } has no matching {; write }} for a brace"))
            index += 1
            continue
        if char != "{":
            literal.append(char)
            index += 1
            continue
        end = _closing(text, index)
        if end == -1:
            problems.append(TermsProblem(_line_of(text, index), "a { is not closed; write {{ for a brace"))
            index += 1
            continue
        name = text[index + 1 : end]
        problem = _placeholder_problem(name)
        if problem:
            problems.append(TermsProblem(_line_of(text, index), problem))
        else:
            parts.append("".join(literal))
            literal = []
            parts.append(Placeholder(name))
        index = end + 1
    parts.append("".join(literal))
    return [p for p in parts if p != ""], problems


def problems(text: str) -> list[TermsProblem]:
    return parse(text)[1]


def describe(found: list[TermsProblem]) -> str:
    """One error message for the form: the first problem, and how many more there are."""
    first = found[0]
    message = f"Call-off terms line {first.line}: {first.message}"
    more = len(found) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''} further down)"
    return message


class TermsError(ValueError):
    def __init__(self, found: list[TermsProblem]):
        super().__init__(describe(found))
        self.problems = found


def fill(text: str, values: dict[str, str]) -> str:
    """The terms with every placeholder replaced by its value (TermsError if the text has problems)."""
    parts, found = parse(text)
    if found:
        raise TermsError(found)
    return "".join(values[p.name] if isinstance(p, Placeholder) else p for p in parts)


def blocks(text: str) -> list[dict[str, str]]:
    """Filled terms as headings, numbered clauses and paragraphs: [{"kind", "number", "text"}]."""
    out: list[dict[str, str]] = []
    current: dict[str, str] | None = None
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            current = None
            continue
        heading, clause = _HEADING.match(line), _CLAUSE.match(line)
        if heading and not clause and len(line) <= 120:
            out.append({"kind": "heading", "number": heading.group(1), "text": heading.group(2)})
            current = None
        elif clause:
            current = {"kind": "clause", "number": clause.group(1), "text": clause.group(2)}
            out.append(current)
        elif current is not None:
            current["text"] += " " + line
        else:
            current = {"kind": "text", "number": "", "text": line}
            out.append(current)
    return out


def contract_end_on(start_on: date, term_months: int) -> date:
    """The last day of a term of `term_months` months starting on `start_on` (1 April + 24 months: 31 March)."""
    return add_months(start_on, term_months) - timedelta(days=1)


# Terms the portal's own pages of the contract (order form, schedules, signatures) use, defined in its order form.
# Terms the framework's call-off terms define themselves ("X" means ...) are defined there and not repeated.
DEFINITIONS: dict[str, str] = {
    "Buyer": "the contracting body named as the Buyer in the Order Form",
    "Supplier": "the supplier named as the Supplier in the Order Form",
    "Call-Off Contract": "the Order Form, the Call-Off Terms and the Schedules",
    "Order Form": "Part A of this document",
    "Call-Off Terms": "the framework's call-off terms in Part B of this document",
    "Schedules": "Schedules 1 onwards of this document; a Schedule is one of them",
    "Framework": "the framework agreement named in the Order Form, under which the Call-Off Contract is made",
    "Services": "the services described in the statement of requirements and the Supplier's response",
    "Charges": "the charges in the price schedule of the Order Form and the pricing schedule",
    "KPIs": "the key performance indicators in the KPI schedule (Schedule 4)",
    "Data Protection Schedule": "Schedule 5, giving the particulars of any processing of Personal Data",
    "Personal Data": "has the meaning given in the UK GDPR",
    "UK GDPR": "the UK General Data Protection Regulation, as defined in section 3(10) of the Data Protection Act 2018",
    "Good Industry Practice": "the skill, care, prudence and foresight a skilled and experienced supplier of "
    "services of the same kind would exercise in the same circumstances",
}
_DEFINED = re.compile(r'"([A-Z][A-Za-z -]+)"')


def defined_in(terms_text: str) -> set[str]:
    """The terms a text defines: every capitalised term it puts in double quotes ("Buyer", "Working Day")."""
    return set(_DEFINED.findall(terms_text or ""))


def definitions_for(terms_text: str) -> list[dict[str, str]]:
    """The order form's definitions: the portal's, less those the call-off terms define themselves."""
    own = defined_in(terms_text)
    return [{"term": term, "meaning": meaning} for term, meaning in DEFINITIONS.items() if term not in own]
