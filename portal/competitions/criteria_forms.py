"""Forms for a competition's award criteria: refining a criterion (question, word limit, scale, descriptors),
adding a sub-criterion, and the weights, one field per weighted criterion of the competition."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from portal.competitions.forms import DecimalTextField
from portal.forms_common import ChoiceRadioField, WholeNumberField, strip_filter
from portal.services.competitions.scales import SCALES


class CriterionForm(FlaskForm):
    """Refining one criterion; scored leaves also get word limit, scale, minimum score and descriptors."""

    question = TextAreaField(
        "Question to suppliers",
        widget=GovTextArea(),
        filters=[strip_filter],
        validators=[InputRequired("Enter the question suppliers answer")],
    )
    guidance = TextAreaField("Guidance for suppliers (optional)", widget=GovTextArea(), filters=[strip_filter])
    word_limit = WholeNumberField(
        "Word limit",
        "Word limit must be a whole number, like 500",
        description="The most words a supplier may write in its answer",
        validators=[Optional()],
    )
    scale_max = ChoiceRadioField(
        "Scoring scale",
        "Select a scoring scale",
        coerce=int,
        choices=[],
        description="If you change the scale, the descriptors are reset to the defaults for the new scale",
    )
    min_score = DecimalTextField(
        "Minimum acceptable score (optional)",
        "Minimum acceptable score must be a number between 0 and 100",
        description="A bid scoring below this on this criterion is disqualified. Leave blank for none.",
        validators=[Optional()],
    )
    submit = SubmitField("Save criterion", widget=GovSubmitInput())


class SubCriterionForm(FlaskForm):
    title = StringField(
        "Sub-criterion title",
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[
            InputRequired("Enter a title for the sub-criterion"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    question = TextAreaField(
        "Question to suppliers",
        widget=GovTextArea(),
        filters=[strip_filter],
        validators=[InputRequired("Enter the question suppliers answer")],
    )
    guidance = TextAreaField("Guidance for suppliers (optional)", widget=GovTextArea(), filters=[strip_filter])
    submit = SubmitField("Add sub-criterion", widget=GovSubmitInput())


def scale_choices() -> list[SelectChoice]:
    return [SelectChoice(value, label) for value, label in SCALES.items()]


def weights_form(nodes, describe) -> FlaskForm:
    """One weight field per weighted criterion (`weight_<id>`); `describe(node)` gives its label and hint."""

    class WeightsForm(FlaskForm):
        submit = SubmitField("Save weights", widget=GovSubmitInput())

    for node in nodes:
        label, hint = describe(node)
        field = DecimalTextField(
            label, f"Weight of {node.title} must be a number from 0 to 100, like 60", description=hint
        )
        setattr(WeightsForm, f"weight_{node.id}", field)
    form = WeightsForm()
    if not form.is_submitted():
        for node in nodes:
            getattr(form, f"weight_{node.id}").data = node.weight
    return form


def criterion_form(node, points) -> CriterionForm:
    """The criterion form with a descriptor field per scale point (`descriptor_<score>`)."""

    class Form(CriterionForm):
        pass

    for score, label in points:
        setattr(
            Form, f"descriptor_{score}", TextAreaField(f"Score {label}", widget=GovTextArea(), filters=[strip_filter])
        )
    form = Form(obj=node)
    form.scale_max.choices = scale_choices()
    if not form.is_submitted():
        form.min_score.data = node.min_score
        for descriptor in node.descriptors:
            field = getattr(form, f"descriptor_{descriptor.score}", None)
            if field is not None:
                field.data = descriptor.descriptor
    return form
