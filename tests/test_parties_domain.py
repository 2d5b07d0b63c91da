"""The identifier schemes and regions parties are named by (portal/domain/parties.py)."""

from __future__ import annotations

import pytest

from portal.domain import parties
from portal.domain.parties import Identifier, Scheme

VALID = [
    (Scheme.GB_PPON, "PXXB-7538-XLDD"),
    (Scheme.GB_PPON, "PDMO-1234-ABCD"),
    (Scheme.GB_COH, "02174990"),
    (Scheme.GB_COH, "SC123456"),
    (Scheme.GB_COH, "NI654321"),
    (Scheme.GB_COH, "OC301234"),
    (Scheme.GB_COH, "R0123456"),
    (Scheme.GB_CHC, "1123456"),
    (Scheme.GB_CHC, "212345"),
]

INVALID = [
    (Scheme.GB_PPON, ""),
    (Scheme.GB_PPON, "PXXB7538XLDD"),
    (Scheme.GB_PPON, "PXXB-7538-XLD"),
    (Scheme.GB_PPON, "PXX1-7538-XLDD"),
    (Scheme.GB_PPON, "PXXB-75A8-XLDD"),
    (Scheme.GB_PPON, "PXXB-7538-XLDD-1"),
    (Scheme.GB_COH, ""),
    (Scheme.GB_COH, "2174990"),
    (Scheme.GB_COH, "021749900"),
    (Scheme.GB_COH, "S1234567"),
    (Scheme.GB_COH, "SC12345"),
    (Scheme.GB_CHC, ""),
    (Scheme.GB_CHC, "12345"),
    (Scheme.GB_CHC, "12345678"),
    (Scheme.GB_CHC, "SC012345"),
]


@pytest.mark.parametrize(("scheme", "value"), VALID)
def test_well_formed_identifiers_have_no_problem(scheme, value):
    assert parties.identifier_problem(scheme, value) is None


@pytest.mark.parametrize(("scheme", "value"), INVALID)
def test_malformed_identifiers_say_what_the_right_shape_is(scheme, value):
    problem = parties.identifier_problem(scheme, value)
    assert problem is not None
    assert problem.startswith("Enter a")
    assert "like" in problem


@pytest.mark.parametrize(
    ("scheme", "typed", "stored"),
    [
        (Scheme.GB_PPON, " pxxb-7538-xldd ", "PXXB-7538-XLDD"),
        (Scheme.GB_PPON, "GB-PPON-PXXB-7538-XLDD", "PXXB-7538-XLDD"),
        (Scheme.GB_PPON, "gb-ppon:pxxb-7538-xldd", "PXXB-7538-XLDD"),
        (Scheme.GB_COH, "sc 123 456", "SC123456"),
        (Scheme.GB_CHC, " 1123 456 ", "1123456"),
        (Scheme.GB_CHC, "", ""),
    ],
)
def test_values_are_normalised_as_people_type_them(scheme, typed, stored):
    assert parties.normalise(scheme, typed) == stored


def test_every_scheme_has_a_rule_whose_maximum_fits_its_pattern():
    assert set(parties.SCHEMES) == set(Scheme)
    for scheme, value in VALID:
        assert len(value) <= parties.SCHEMES[scheme].max_length


def test_the_ppon_is_the_primary_identifier_then_the_company_then_the_charity():
    found = parties.identifiers({Scheme.GB_CHC: "1123456", Scheme.GB_COH: "02174990", Scheme.GB_PPON: None})
    assert found == [Identifier(Scheme.GB_COH, "02174990"), Identifier(Scheme.GB_CHC, "1123456")]
    found = parties.identifiers({Scheme.GB_COH: "02174990", Scheme.GB_PPON: "PXXB-7538-XLDD"})
    assert found[0] == Identifier(Scheme.GB_PPON, "PXXB-7538-XLDD")
    assert found[0].party_id == "GB-PPON-PXXB-7538-XLDD"
    assert found[0].label == "Public Procurement Organisation Number (PPON)"
    assert parties.identifiers({}) == []


def test_the_twelve_itl1_regions():
    codes = [r.code for r in parties.ITL1_REGIONS]
    assert codes == ["TLC", "TLD", "TLE", "TLF", "TLG", "TLH", "TLI", "TLJ", "TLK", "TLL", "TLM", "TLN"]
    assert parties.region_label("TLJ") == "South East (TLJ)"
    assert parties.region_label(None) == ""
    assert parties.region_problem("") is None
    assert parties.region_problem("TLN") is None
    assert parties.region_problem("UKJ") == "Select the region from the list"


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("South East", "TLJ"),
        ("yorkshire and the humber", "TLE"),
        ("  East of  England", "TLH"),
        ("Great Britain", None),
    ],
)
def test_free_text_regions_carry_over_to_codes_where_they_name_one(name, code):
    assert parties.region_code_for(name) == code


@pytest.mark.parametrize(
    ("field", "typed", "result"),
    [
        ("ppon", " pxxb-7538-xldd", ("PXXB-7538-XLDD", None)),
        ("ppon", "", (None, None)),
        ("ppon", "P-1", (None, "Enter a PPON in the correct format, like PXXB-7538-XLDD")),
        ("companies_house_number", "sc123456", ("SC123456", None)),
        ("charity_number", "12", (None, parties.SCHEMES[Scheme.GB_CHC].problem)),
        ("itl_region", "tlj", ("TLJ", None)),
        ("itl_region", "", (None, None)),
        ("itl_region", "UKJ", (None, "Select the region from the list")),
    ],
)
def test_fields_are_cleaned_or_refused_with_their_problem(field, typed, result):
    assert parties.clean_field(field, typed) == result
