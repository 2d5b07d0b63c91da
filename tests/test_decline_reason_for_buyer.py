"""A supplier's reason for declining an invitation reaches the buyer on the competition's Suppliers page (not only in
the evaluation report PDF), next to the response; a supplier that intends to bid shows no reason."""

from __future__ import annotations

from portal.extensions import db
from portal.services.bids import drafting
from tests.factories import make_user
from tests.factories_bidding import make_world


def test_the_buyer_sees_why_a_supplier_declined(client, auth):
    world = make_world()
    buyer = make_user("buyer", organisation=world.competition.buyer_organisation)
    db.session.commit()
    drafting.respond(world.user, world.competition.id, "declined", "No capacity this quarter")
    drafting.respond(world.rival_user, world.competition.id, "bidding")
    auth.login(buyer.email)
    page = client.get(f"/competitions/{world.competition.id}/suppliers").get_data(as_text=True)
    assert "Declined: No capacity this quarter" in page
    assert "Intends to bid" in page
