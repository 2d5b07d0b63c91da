"""Forms for clarification questions and answers."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovSubmitInput, GovTextArea
from wtforms import SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length

from portal.forms_common import ChoiceRadioField, strip_filter
from portal.services.competitions.clarifications import AUDIENCES, MAX_QUESTION_LENGTH


class QuestionForm(FlaskForm):
    question = TextAreaField(
        "Your question",
        widget=GovCharacterCount(),
        filters=[strip_filter],
        description="The buyer may publish the question and answer to every invited supplier without naming you.",
        validators=[
            InputRequired("Enter your question"),
            Length(max=MAX_QUESTION_LENGTH, message=f"Question must be {MAX_QUESTION_LENGTH:,} characters or fewer"),
        ],
    )
    submit = SubmitField("Send question", widget=GovSubmitInput())


class AnswerForm(FlaskForm):
    answer = TextAreaField(
        "Answer", widget=GovTextArea(), filters=[strip_filter], validators=[InputRequired("Enter the answer")]
    )
    audience = ChoiceRadioField(
        "Who sees the answer?",
        "Select who sees the answer",
        choices=[SelectChoice(value, label) for value, label in AUDIENCES.items()],
        default="all",
        description="Answers to all are published without saying who asked. Answer privately only when the "
        "question is commercially sensitive.",
    )
    private_reason = TextAreaField(
        "Why is the answer private? (if private)",
        widget=GovTextArea(),
        filters=[strip_filter],
        description="For example, the question reveals the supplier's own pricing or solution",
    )
    submit = SubmitField("Send answer", widget=GovSubmitInput())
