"""Catalogue forms: the search filters and the compare selection, both sent by GET.

Filter state lives in the URL so a search can be bookmarked, shared and paged. Anything odd in
the URL (a word where an id belongs, an id that does not exist) becomes a GOV.UK error message on
the field, and that filter is then ignored; it never reaches the database as-is.
"""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovSelect,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, HiddenField, SearchField, SelectField, SelectMultipleField, SubmitField
from wtforms.validators import Length, ValidationError

from portal.domain.whole_numbers import whole_number
from portal.forms_common import strip_filter
from portal.services.catalogue.compare import MAX_COMPARED
from portal.services.catalogue.search import Facets, FilterOptions, SearchParams

MAX_KEYWORDS_LENGTH = 200
KEYWORDS_TOO_LONG = f"Keywords must be {MAX_KEYWORDS_LENGTH} characters or fewer"


class _GetForm(FlaskForm):
    class Meta:
        csrf = False  # read-only GET forms: nothing to forge


class ChoiceField(SelectField):
    """A single choice whose wrong values get a GOV.UK message; known-but-unoffered ones are dropped.

    `known` holds values that exist but are not offered here (a lot of another framework after the
    framework was changed): they are quietly cleared rather than reported, as the user did nothing wrong.
    """

    data: str | None  # set by WTForms from the request

    def __init__(self, label: str, message: str, **kwargs):
        super().__init__(label, widget=GovSelect(), validate_choice=False, **kwargs)
        self.message = message
        self.known: set[str] = set()

    def pre_validate(self, form) -> None:
        if not self.data or self.data in {value for value, _ in self.choices}:
            return
        if self.data in self.known:
            self.data = ""
            return
        self.data = ""
        raise ValidationError(self.message)


class MultiChoiceField(SelectMultipleField):
    """Checkboxes with the same treatment of unknown and unoffered values as ChoiceField."""

    data: list[str] | None  # set by WTForms from the request

    def __init__(self, label: str, message: str, **kwargs):
        super().__init__(label, widget=GovCheckboxesInput(), validate_choice=False, **kwargs)
        self.message = message
        self.known: set[str] = set()

    def pre_validate(self, form) -> None:
        offered = {value for value, _ in self.choices}
        values = self.data or []
        wrong = [v for v in values if v not in offered and v not in self.known]
        self.data = [v for v in values if v in offered]
        if wrong:
            raise ValidationError(self.message)


class SearchForm(_GetForm):
    q = SearchField(
        "Keywords",
        description="For example, a supplier’s name, ‘social listening’ or ‘critical incident’",  # noqa: RUF001
        widget=GovTextInput(),
        filters=[strip_filter],
        validators=[Length(max=MAX_KEYWORDS_LENGTH, message=KEYWORDS_TOO_LONG)],
    )
    framework_id = ChoiceField("Framework", "Select a framework from the list")
    lot_id = ChoiceField("Lot", "Select a lot from the list")
    capability_id = MultiChoiceField(
        "Capabilities the supplier must have", "Select capabilities from the list for the chosen lot"
    )
    accreditation = ChoiceField("Accreditation held and in date", "Select an accreditation from the list")
    sme = BooleanField("Small and medium-sized enterprises (SMEs) only", widget=GovCheckboxInput())
    submit = SubmitField("Apply filters", widget=GovSubmitInput())

    def offer(self, options: FilterOptions) -> None:
        """Set the choices before validating; counts are added once the search has run."""
        self.framework_id.choices = [("", "All frameworks")] + [(str(f.id), f.name) for f in options.frameworks]
        self.lot_id.choices = [("", "All lots")] + [(str(lot.id), _lot_text(lot)) for lot in options.lots]
        self.lot_id.known = {str(i) for i in options.all_lot_ids}
        self.capability_id.choices = [(str(c.id), c.name) for c in options.capabilities]
        self.capability_id.known = {str(i) for i in options.all_capability_ids}
        self.accreditation.choices = [("", "Any or none")] + [(s, s) for s in options.schemes]

    def show_counts(self, facets: Facets) -> None:
        """Add to each option how many results choosing it would give."""
        self.framework_id.choices = _counted(self.framework_id.choices, facets.frameworks, int)
        self.lot_id.choices = _counted(self.lot_id.choices, facets.lots, int)
        self.capability_id.choices = _counted(self.capability_id.choices, facets.capabilities, int)
        self.accreditation.choices = _counted(self.accreditation.choices, facets.accreditations, str)
        self.sme.label.text = f"{self.sme.label.text} ({facets.sme:,})"

    def params(self, page: int) -> SearchParams:
        """The filters that passed validation, as the search service takes them."""

        def valid(field) -> bool:
            return not field.errors and bool(field.data)

        def chosen(field: ChoiceField) -> str | None:
            return field.data if valid(field) else None

        framework_id, lot_id = chosen(self.framework_id), chosen(self.lot_id)
        return SearchParams(
            keywords=self.q.data if valid(self.q) else "",
            framework_id=int(framework_id) if framework_id else None,
            lot_id=int(lot_id) if lot_id else None,
            capability_ids=tuple(int(v) for v in self.capability_id.data or []),
            accreditation=chosen(self.accreditation),
            sme_only=bool(self.sme.data),
            page=page,
        )


def _lot_text(lot) -> str:
    return f"{lot.framework.reference}: {lot.label}"


def _counted(choices: list[tuple[str, str]], counts: dict, key) -> list[tuple[str, str]]:
    return [(value, f"{text} ({counts.get(key(value), 0):,})" if value else text) for value, text in choices]


class CompareForm(_GetForm):
    supplier_id = SelectMultipleField(
        "Suppliers to compare",
        description=f"Select 2 to {MAX_COMPARED} suppliers",
        widget=GovCheckboxesInput(),
        coerce=str,
        validate_choice=False,
    )
    lot_id = HiddenField()
    submit = SubmitField("Compare selected suppliers", widget=GovSubmitInput())


def parse_ids(values: list[str]) -> tuple[list[int], bool]:
    """Whole-number ids from the URL, and whether any value was not one."""
    ids = [number for v in values if (number := whole_number(v.strip())) is not None]
    return ids, len(ids) < len(values)
