"""A bidder's outcome page in a real browser, under each regime, with criteria split into sub-criteria: axe-core,
no console errors, and the sub-criteria under their criterion. Screenshots go to OUTCOME_SCREENSHOTS when set (a
folder, for a person to look at)."""

from __future__ import annotations

import os

import pytest

from portal.extensions import db
from tests.browser.helpers import check_page, sign_in
from tests.conftest import TEST_PASSWORD
from tests.factories import make_user
from tests.test_award_services import approved_world


@pytest.mark.parametrize("regime", ["pa2023", "pcr2015"])
def test_the_outcome_page_with_sub_criteria_is_accessible(page, live_server, regime):
    world = approved_world(regime=regime, sub_criteria=True)
    alpha = make_user("supplier", supplier=world.suppliers["Alpha"])
    db.session.commit()
    sign_in(page, live_server, alpha.email, TEST_PASSWORD)
    page.goto(f"{live_server}/evaluation/outcomes/{world.competition.id}")
    quality = page.locator("table", has_text="Quality (60 % of the marks)")
    rows = [" ".join(text.split()) for text in quality.locator("tbody tr").all_inner_texts()]
    assert rows[0].startswith("Channel management") and "21.00" in rows[0] and "28.50" in rows[0]
    assert rows[1].startswith("Publishing") and rows[2].startswith("Monitoring")
    assert rows[-1].startswith("Quality sub-total")
    check_page(page, f"outcome-{regime}", os.environ.get("OUTCOME_SCREENSHOTS"))
