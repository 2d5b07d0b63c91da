"""The one GOV.UK date field every form uses: its messages, its year range and its two ways of being required."""

from __future__ import annotations

from datetime import date

import pytest
from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField
from wtforms.validators import InputRequired

from portal.forms_common import GovDateField, RequiredDate, wtforms_errors


class DatesForm(Form):
    start_on = GovDateField("Start date", validators=[RequiredDate("Enter the start date")])
    awarded_on = GovDateField("Date awarded (optional)")
    expires_on = GovDateField("Expiry date", "The expiry date", required_message="Enter the expiry date")


def errors_for(**fields) -> dict[str, list[str]]:
    data = MultiDict({"start_on": ["1", "4", "2027"], "expires_on": ["1", "4", "2028"]})
    for name, value in fields.items():
        data.setlist(name, value)
    form = DatesForm(data)
    form.validate()
    return form.errors


def test_a_complete_form_reads_dates():
    form = DatesForm(MultiDict({"start_on": ["1", "4", "2027"], "expires_on": [" 31 ", "12", "2028"]}))
    assert form.validate(), form.errors
    assert form.start_on.data == date(2027, 4, 1)
    assert form.expires_on.data == date(2028, 12, 31)
    assert form.awarded_on.data is None


@pytest.mark.parametrize(
    ("fields", "name", "message"),
    [
        ({"start_on": ["", "", ""]}, "start_on", "Enter the start date"),
        ({"expires_on": ["", "", ""]}, "expires_on", "Enter the expiry date"),
        ({"start_on": ["", "4", "2027"]}, "start_on", "Start date must include a day"),
        ({"start_on": ["1", "", ""]}, "start_on", "Start date must include a month"),
        ({"start_on": ["1", "4", ""]}, "start_on", "Start date must include a year"),
        ({"start_on": ["31", "2", "2027"]}, "start_on", "Start date must be a real date"),
        ({"start_on": ["1", "4", "0224"]}, "start_on", "Start date must be a real date"),
        ({"start_on": ["1", "4", "2201"]}, "start_on", "Start date must be a real date"),
        ({"start_on": ["a", "b", "c"]}, "start_on", "Start date must be a real date"),
        ({"awarded_on": ["1", "", "2024"]}, "awarded_on", "Date awarded must include a month"),
        ({"expires_on": ["30", "2", "2028"]}, "expires_on", "The expiry date must be a real date"),
    ],
)
def test_each_mistake_has_its_govuk_message(fields, name, message):
    assert errors_for(**fields) == {name: [message]}


@pytest.mark.parametrize("parts", [["1"], ["1", "4"], ["1", "4", "2027", "9"], []])
def test_a_hand_made_request_with_the_wrong_number_of_parts_is_an_error_not_a_crash(parts):
    form = DatesForm(MultiDict([("start_on", p) for p in parts] + [("expires_on", "1")]))
    assert not form.validate()
    assert form.errors["expires_on"] == ["The expiry date must include a month"]
    # The widget can always draw what was sent back: three values, or none.
    assert form.start_on.raw_data is None or len(form.start_on.raw_data) == 3
    assert form.expires_on.raw_data == ["1", "", ""]


def test_an_optional_blank_date_is_none_and_no_error():
    assert "awarded_on" not in errors_for(awarded_on=["", " ", ""])


class TitledForm(Form):
    title = StringField("Title", validators=[InputRequired("Enter a title")])
    starts_on = GovDateField("Start date")


def summary_links(form) -> dict[str, str]:
    form.validate()
    return {error["text"]: error["href"] for error in wtforms_errors(form)["errorList"]}


@pytest.mark.parametrize(
    ("start_on", "href"),
    [
        (["", "", ""], "#start_on-day"),  # required, nothing entered
        (["1", "", "2027"], "#start_on-month"),  # the missing part
        (["1", "4", ""], "#start_on-year"),
        (["", "4", ""], "#start_on-day"),  # the first missing part
        (["31", "2", "2027"], "#start_on-day"),  # not a real date: the first box
    ],
)
def test_error_summary_links_a_date_error_to_a_box_that_takes_focus(start_on, href):
    form = DatesForm(MultiDict({"start_on": start_on, "expires_on": ["1", "4", "2028"]}))
    [(_, link)] = summary_links(form).items()
    assert link == href


def test_error_summary_leaves_other_links_alone():
    form = TitledForm(MultiDict({"starts_on": ["1", "", "2027"]}))
    assert summary_links(form) == {"Enter a title": "#title", "Start date must include a month": "#starts_on-month"}


def test_a_date_left_out_of_the_request_altogether_is_still_required():
    form = DatesForm(MultiDict({"start_on": ["1", "4", "2027"]}))
    assert not form.validate()
    assert form.errors == {"expires_on": ["Enter the expiry date"]}
    assert summary_links(form) == {"Enter the expiry date": "#expires_on-day"}
