"""Forms for a lot's framework award criteria (groups with weight ranges, criteria with questions)."""

from __future__ import annotations

from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextArea, GovTextInput
from wtforms import StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from portal.admin.frameworks.forms import ValuesForm
from portal.forms_common import ChoiceRadioField, strip_filter
from portal.services.frameworks.award_criteria import CRITERION_KINDS, GROUP_KINDS


class AwardGroupForm(ValuesForm):
    value_fields = ("name", "kind", "min_weight", "max_weight")
    name = StringField(
        "Group name",
        widget=GovTextInput(),
        filters=[strip_filter],
        description="For example, Quality, Price or Social value",
        validators=[
            InputRequired("Enter a name for the group"),
            Length(max=100, message="Name must be 100 characters or fewer"),
        ],
    )
    kind = ChoiceRadioField(
        "Kind of group",
        "Select the kind of group",
        choices=[SelectChoice(value, label) for value, label in GROUP_KINDS.items()],
        description="Price is scored by the competition's price method; the other groups hold criteria",
    )
    # Weights are checked as numbers by the service, so its message and the form's cannot disagree.
    min_weight = StringField(
        "Minimum weight (%)",
        widget=GovTextInput(),
        filters=[strip_filter],
        description="The lowest weight a call-off competition may give this group, for example, 50",
        validators=[InputRequired("Enter the minimum weight")],
    )
    max_weight = StringField(
        "Maximum weight (%)",
        widget=GovTextInput(),
        filters=[strip_filter],
        description="The highest weight a call-off competition may give this group, for example, 70",
        validators=[InputRequired("Enter the maximum weight")],
    )
    submit = SubmitField("Save group", widget=GovSubmitInput())


class AwardCriterionForm(ValuesForm):
    value_fields = ("title", "question", "guidance", "kind")
    title = StringField(
        "Criterion",
        widget=GovTextInput(),
        filters=[strip_filter],
        description="For example, Critical incident content control",
        validators=[
            InputRequired("Enter a title for the criterion"),
            Length(max=200, message="Title must be 200 characters or fewer"),
        ],
    )
    question = TextAreaField(
        "Question to suppliers",
        widget=GovTextArea(),
        filters=[strip_filter],
        description="Buyers may refine the wording in their competition",
        validators=[InputRequired("Enter the question suppliers answer")],
    )
    guidance = TextAreaField("Guidance (optional)", widget=GovTextArea(), filters=[strip_filter])
    kind = ChoiceRadioField(
        "How is it assessed?",
        "Select whether the criterion is scored or pass or fail",
        choices=[SelectChoice(value, label) for value, label in CRITERION_KINDS.items()],
        default="quality",
    )
    submit = SubmitField("Save criterion", widget=GovSubmitInput())
