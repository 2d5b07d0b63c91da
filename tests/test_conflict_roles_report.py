"""The evaluation report carries the conflicts record of everyone who acted (opener, witness, moderator, recommender,
approver), citing the framework's regime's conflicts provision and never the other regime's."""

from __future__ import annotations

import re

import pytest

from portal.domain.law import law_for
from tests.documents_support import pdf_text
from tests.test_award_services import approved_world
from tests.test_documents_report import _report


@pytest.mark.parametrize(("regime", "other"), [("pa2023", "pcr2015"), ("pcr2015", "pa2023")])
def test_the_report_records_every_officers_declaration_citing_only_its_own_regime(regime, other):
    world = approved_world(regime=regime)
    _, pdf = _report(world)
    text = re.sub(r"\s+", " ", pdf_text(pdf))
    assert "Declarations by the officers who opened, moderated, recommended and approved" in text
    for capacity in ("Opening the bids", "Moderator", "Recommending the award", "Approving the award"):
        assert capacity in text
    assert "Ada Approver" in text and "Cole Colleague" in text
    assert law_for(regime).conflicts.citation in text
    assert law_for(other).conflicts.citation not in text
