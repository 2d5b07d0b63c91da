"""A service's refusal lands on the field it names, else on the caller's default field, and reaches the summary."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict
from wtforms import Form, StringField, SubmitField
from wtforms.validators import InputRequired

from portal.forms_common import attach_error, wtforms_errors
from portal.services.errors import ConflictError, ValidationError


class NameForm(Form):
    name = StringField("Name", validators=[InputRequired("Enter a name")])
    note = StringField("Note")
    submit = SubmitField("Save")


def validated(**data) -> NameForm:
    form = NameForm(MultiDict(data))
    form.validate()
    return form


def test_an_error_naming_a_field_lands_on_that_field():
    form = validated(name="Orlo")
    attach_error(form, ValidationError("Name already taken", field="name"))
    assert form.errors == {"name": ["Name already taken"]}


def test_an_error_naming_no_field_lands_on_the_button():
    form = validated(name="Orlo")
    attach_error(form, ConflictError("The competition has closed"))
    assert form.errors == {"submit": ["The competition has closed"]}


def test_an_error_naming_a_field_the_form_lacks_lands_on_the_default_field():
    form = validated(name="Orlo")
    attach_error(form, ValidationError("Too late", field="deadline"), "note")
    attach_error(form, ValidationError("Not a form field", field="validate"))
    assert form.errors == {"note": ["Too late"], "submit": ["Not a form field"]}


def test_errors_add_to_the_fields_own_and_work_before_validation():
    form = validated()
    attach_error(form, ValidationError("Name already taken", field="name"))
    assert form.errors == {"name": ["Enter a name", "Name already taken"]}
    unvalidated = NameForm()
    attach_error(unvalidated, ValidationError("Enter a note", field="note"))
    assert unvalidated.note.errors == ["Enter a note"]


def test_the_error_summary_links_to_the_field():
    form = validated(name="Orlo")
    attach_error(form, ValidationError("Name already taken", field="name"))
    assert wtforms_errors(form)["errorList"] == [{"text": "Name already taken", "href": "#name"}]
