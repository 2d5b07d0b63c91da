"""Forms for opening, evaluation, moderation and award. They carry the input; the services check the rules,
so choices are not validated here (a bad value reaches the service, which names the field in its error)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
)
from wtforms import (
    HiddenField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import AnyOf

from portal.forms_common import standstill_choice_field, strip_filter


def options(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class OpeningForm(FlaskForm):
    """Start, confirm or cancel the opening of the bids: no answers, only the button (and the CSRF token)."""

    submit = SubmitField("Start the opening", widget=GovSubmitInput())


class AssignEvaluatorForm(FlaskForm):
    user_id = SelectField("Evaluator", widget=GovSelect(), validate_choice=False)
    criterion_ids = SelectMultipleField("Criteria they will score", widget=GovCheckboxesInput(), validate_choice=False)
    submit = SubmitField("Assign evaluator", widget=GovSubmitInput())

    def set_people(self, people) -> None:
        self.user_id.choices = options(
            [("", "Choose a person")] + [(str(p.id), f"{p.name}, {p.role_enum.label} ({p.email})") for p in people]
        )

    def set_criteria(self, criteria) -> None:
        self.criterion_ids.choices = options((str(c.id), c.title) for c in criteria)
        if not self.is_submitted():
            self.criterion_ids.data = [str(c.id) for c in criteria]


class CriteriaForm(FlaskForm):
    criterion_ids = SelectMultipleField("Criteria they will score", widget=GovCheckboxesInput(), validate_choice=False)
    submit = SubmitField("Save criteria", widget=GovSubmitInput())

    def set_criteria(self, criteria, assigned) -> None:
        self.criterion_ids.choices = options((str(c.id), c.title) for c in criteria)
        if not self.is_submitted():
            self.criterion_ids.data = [str(c.id) for c in criteria if c.id in assigned]


class MitigationForm(FlaskForm):
    mitigation = TextAreaField("How the conflict is mitigated", widget=GovTextArea(), filters=[strip_filter])
    submit = SubmitField("Record mitigation", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField("Confirm", widget=GovSubmitInput())


class CompleteModerationForm(FlaskForm):
    """Completing moderation cannot be undone, so the POST counts only when it comes from the confirmation page:
    its hidden field says so (a bare POST, or one from an old board page, is sent to the confirmation instead)."""

    confirmed = HiddenField(validators=[AnyOf(["yes"])])
    submit = SubmitField("Complete moderation", widget=GovSubmitInput())


class DeclarationForm(FlaskForm):
    """One yes/no question (with details if yes) per bidding supplier: fields conflict_<id> and details_<id>."""

    submit = SubmitField("Submit declaration", widget=GovSubmitInput())

    def answers(self, suppliers) -> dict[int, tuple[object, str]]:
        return {s.id: (self[f"conflict_{s.id}"].data, self[f"details_{s.id}"].data or "") for s in suppliers}


def declaration_form(suppliers) -> DeclarationForm:
    """A DeclarationForm with a question for each of these suppliers."""

    class _Form(DeclarationForm):
        pass

    for s in suppliers:
        setattr(
            _Form,
            f"conflict_{s.id}",
            RadioField(
                f"Do you have a conflict of interest with {s.legal_name}?",
                choices=options([("yes", "Yes"), ("no", "No")]),
                widget=GovRadioInput(),
                validate_choice=False,
            ),
        )
        setattr(
            _Form,
            f"details_{s.id}",
            TextAreaField("Details of the conflict", widget=GovTextArea(), filters=[strip_filter]),
        )
    return _Form()


class _ScaleForm(FlaskForm):
    score = RadioField("Score", widget=GovRadioInput(), validate_choice=False)

    def set_scale(self, criterion) -> None:
        descriptors = {d.score: d.descriptor for d in criterion.descriptors}
        self.score.choices = options(
            (str(n), f"{n}: {descriptors[n]}" if descriptors.get(n) else str(n)) for n in range(criterion.scale_max + 1)
        )


class ScoreForm(_ScaleForm):
    justification = TextAreaField("Justification", widget=GovTextArea(), filters=[strip_filter])
    submit = SubmitField("Save score", widget=GovSubmitInput())


class ModerateForm(_ScaleForm):
    rationale = TextAreaField("Rationale for the moderated score", widget=GovTextArea(), filters=[strip_filter])
    submit = SubmitField("Save moderated score", widget=GovSubmitInput())


class ExplanationForm(FlaskForm):
    explanation = TextAreaField("The supplier's explanation", widget=GovTextArea(), filters=[strip_filter])
    submit = SubmitField("Record explanation", widget=GovSubmitInput())


class DecisionForm(FlaskForm):
    outcome = RadioField(
        "Decision on the explanation",
        choices=options([("accepted", "Accept the explanation"), ("rejected", "Reject the explanation and the bid")]),
        widget=GovRadioInput(),
        validate_choice=False,
    )
    reason = TextAreaField("Reason", widget=GovTextArea(), filters=[strip_filter])
    submit = SubmitField("Record decision", widget=GovSubmitInput())


class RecommendForm(FlaskForm):
    bid_id = RadioField("Recommended bid", widget=GovRadioInput(), validate_choice=False)
    note = TextAreaField("Note for the approver (optional)", widget=GovTextArea(), filters=[strip_filter])
    standstill = standstill_choice_field()
    submit = SubmitField("Recommend award", widget=GovSubmitInput())
