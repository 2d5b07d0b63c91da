"""Forms for opening, evaluation, moderation and award. They carry the input; the services check the rules,
so choices are not validated here (a bad value reaches the service, which names the field in its error)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovSubmitInput, GovTextArea
from wtforms import RadioField, SelectChoice, SelectField, SubmitField, TextAreaField

from portal.forms_common import strip_filter


def options(pairs) -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in pairs]


class OpenBidsForm(FlaskForm):
    witness_id = SelectField("Witness", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Open the bids", widget=GovSubmitInput())

    def set_people(self, people) -> None:
        self.witness_id.choices = options(
            [("", "Choose a witness")] + [(str(p.id), f"{p.name} ({p.email})") for p in people]
        )


class AssignEvaluatorForm(FlaskForm):
    user_id = SelectField("Evaluator", widget=GovSelect(), validate_choice=False)
    submit = SubmitField("Assign evaluator", widget=GovSubmitInput())

    def set_people(self, people) -> None:
        self.user_id.choices = options(
            [("", "Choose a person")] + [(str(p.id), f"{p.name}, {p.role_enum.label} ({p.email})") for p in people]
        )


class ConfirmForm(FlaskForm):
    submit = SubmitField("Confirm", widget=GovSubmitInput())


class DeclarationForm(FlaskForm):
    has_conflict = RadioField(
        "Do you have a conflict of interest with any bidder in this competition?",
        choices=options([("yes", "Yes"), ("no", "No")]),
        widget=GovRadioInput(),
        validate_choice=False,
    )
    details = TextAreaField("Details of the conflict", widget=GovTextArea(), filters=[strip_filter])
    submit = SubmitField("Submit declaration", widget=GovSubmitInput())


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
    submit = SubmitField("Recommend award", widget=GovSubmitInput())
