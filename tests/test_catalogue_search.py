"""Catalogue search in the service layer: full text, filters, facets, pages, suppliers' standing."""

from __future__ import annotations

import pytest

from portal.domain.suppliers import MembershipStatus
from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.services.catalogue.search import SearchParams, filter_options, search
from portal.services.catalogue.search_index import reindex_supplier
from tests.catalogue_data import build_catalogue
from tests.factories import make_supplier


@pytest.fixture
def cat():
    return build_catalogue()


def names(result) -> list[str]:
    return [hit.supplier.short_name for hit in result.items]


def run(**kw):
    return search(SearchParams(**kw), today_london())


def test_no_keywords_lists_everyone_by_name(cat):
    result = run()
    assert names(result) == ["Blue Lamp Digital", "Civic Voice", "Hootsuite", "Orlo", "Softcat"]
    assert result.total == 5


def test_keyword_finds_supplier_name(cat):
    assert names(run(keywords="orlo")) == ["Orlo"]


def test_keyword_finds_description(cat):
    assert names(run(keywords="SocialSignIn")) == ["Orlo"]


def test_keyword_finds_capability_evidence_with_stemming(cat):
    # "playbook" is stemmed/prefixed to match "playbooks" in Blue Lamp's evidence.
    assert names(run(keywords="playbook")) == ["Blue Lamp Digital"]


def test_every_keyword_must_match(cat):
    assert names(run(keywords="salesforce studio")) == ["Softcat"]
    assert run(keywords="salesforce nextdoor").total == 0


def test_last_word_matches_as_a_prefix(cat):
    assert names(run(keywords="Nextd")) == ["Orlo"]


def test_relevance_puts_stronger_matches_first(cat):
    weak = make_supplier(
        legal_name="Alpha Ltd", trading_name="Alpha", description="Campaigns, video, photography and some moderation."
    )
    strong = make_supplier(legal_name="Beta Ltd", trading_name="Beta", description="Moderation. Moderation at scale.")
    reindex_supplier(weak)
    reindex_supplier(strong)
    db.session.commit()
    assert names(run(keywords="moderation")) == ["Beta", "Alpha"]


@pytest.mark.parametrize("typed", ['"', "AND OR NOT", "(", "*", "NEAR(", "col:x", "'; DROP TABLE supplier; --"])
def test_punctuation_and_operators_never_break_the_query(cat, typed):
    result = run(keywords=typed)
    assert result.total >= 0


def test_only_punctuation_is_a_browse(cat):
    assert run(keywords="!!").total == 5


def test_lot_filter(cat):
    assert names(run(lot_id=cat.lot2.id)) == ["Blue Lamp Digital", "Softcat"]


def test_framework_filter(cat):
    assert run(framework_id=cat.lot1.framework_id).total == 5
    assert run(framework_id=cat.lot1.framework_id + 999).total == 0


def test_required_capabilities_must_all_be_claimed(cat):
    both = run(lot_id=cat.lot1.id, capability_ids=(cat.channels.id, cat.incident.id))
    assert names(both) == ["Hootsuite", "Orlo"]
    three = run(capability_ids=(cat.channels.id, cat.incident.id, cat.listening.id))
    assert names(three) == ["Orlo"]


def test_accreditation_must_be_held_and_in_date(cat):
    # Blue Lamp's ISO 27001 expired yesterday; Softcat's never expires.
    assert names(run(accreditation="ISO 27001")) == ["Orlo", "Softcat"]


def test_sme_only(cat):
    assert names(run(sme_only=True)) == ["Blue Lamp Digital", "Civic Voice", "Orlo"]


def test_keyword_and_filters_combine(cat):
    # Blue Lamp and Hootsuite fail the accreditation; Civic Voice never mentions channels.
    result = run(keywords="channels", lot_id=cat.lot1.id, accreditation="ISO 27001")
    assert sorted(names(result)) == ["Orlo", "Softcat"]


def test_facet_counts_say_what_each_option_would_give(cat):
    result = run(lot_id=cat.lot2.id)
    # Lot counts ignore the lot filter itself: 5 suppliers on lot 1, 2 on lot 2.
    assert result.facets.lots == {cat.lot1.id: 5, cat.lot2.id: 2}
    assert result.facets.accreditations == {"ISO 27001": 1, "Cyber Essentials": 1}
    assert result.facets.sme == 1
    assert result.facets.capabilities == {cat.contact.id: 2}
    assert result.facets.frameworks == {cat.lot1.framework_id: 2}


def test_capability_counts_narrow_with_the_current_results(cat):
    result = run(lot_id=cat.lot1.id, capability_ids=(cat.incident.id,))
    assert result.facets.capabilities == {cat.channels.id: 2, cat.incident.id: 3, cat.listening.id: 1}


def test_pages(cat, app):
    for i in range(3):
        reindex_supplier(make_supplier(legal_name=f"Zeta {i} Ltd", trading_name=f"Zeta {i}"))
    db.session.commit()
    first = search(SearchParams(), today_london(), page_size=3)
    assert (first.total, first.pages, first.page) == (8, 3, 1)
    assert (first.first_index, first.last_index) == (1, 3)
    last = search(SearchParams(page=3), today_london(), page_size=3)
    assert names(last) == ["Zeta 1", "Zeta 2"]
    beyond = search(SearchParams(page=99), today_london(), page_size=3)
    assert beyond.page == 3 and names(beyond) == names(last)
    assert search(SearchParams(page=10**30), today_london(), page_size=3).page == 3


def test_suspended_and_excluded_suppliers_are_shown_but_not_selectable(cat):
    hits = {hit.supplier.short_name: hit for hit in run().items}
    assert hits["Civic Voice"].inactive_statuses == [MembershipStatus.SUSPENDED]
    assert not hits["Civic Voice"].selectable
    assert hits["Hootsuite"].excluded and not hits["Hootsuite"].selectable
    assert hits["Orlo"].selectable and not hits["Orlo"].excluded


def test_selectable_depends_on_the_chosen_lot(cat):
    other = make_supplier(legal_name="Other Ltd", trading_name="Other")
    from tests.factories import make_membership

    make_membership(other, cat.lot1, status="removed", reason="Left")
    make_membership(other, cat.lot2)
    reindex_supplier(other)
    db.session.commit()
    on_lot1 = {h.supplier.short_name: h for h in run(lot_id=cat.lot1.id).items}
    on_lot2 = {h.supplier.short_name: h for h in run(lot_id=cat.lot2.id).items}
    assert not on_lot1["Other"].selectable
    assert on_lot2["Other"].selectable


def test_snippet_shows_matched_evidence(cat):
    hit = run(keywords="sentiment").items[0]
    assert hit.supplier.short_name == "Civic Voice"
    assert ("sentiment", True) in hit.snippet


def test_supplier_without_lots_is_found_but_not_selectable(cat):
    reindex_supplier(make_supplier(legal_name="Lonely Ltd", trading_name="Lonely"))
    db.session.commit()
    hit = run(keywords="lonely").items[0]
    assert hit.lots == [] and not hit.selectable


def test_filter_options_offer_the_chosen_lots_capabilities(cat):
    options = filter_options(cat.lot1.framework_id, cat.lot1.id)
    assert [c.name for c in options.capabilities] == [
        cat.channels.name,
        cat.incident.name,
        cat.listening.name,
    ]
    assert options.schemes == ["Cyber Essentials", "ISO 27001"]
    assert filter_options(None, None).capabilities == []


def test_a_suppliers_lots_are_listed_by_framework_then_lot_number(cat):
    from tests.factories import make_framework, make_lot, make_membership

    later, earlier = make_framework(reference="ZZ-2025"), make_framework(reference="AA-2024")
    many = make_supplier(legal_name="Many Lots Ltd", trading_name="Many Lots")
    for framework, number in ((later, 1), (earlier, 2), (earlier, 1)):
        make_membership(many, make_lot(framework, number=number, title=f"Lot {number}"))
    reindex_supplier(many)
    db.session.commit()
    hit = run(keywords="many lots").items[0]
    assert [s.label for s in hit.lots] == ["AA-2024: Lot 1: Lot 1", "AA-2024: Lot 2: Lot 2", "ZZ-2025: Lot 1: Lot 1"]


def test_a_search_is_one_statement_whatever_the_filters(cat, app):
    """The whole search is one round trip (catalogue_query.py); a regression here costs milliseconds."""
    from sqlalchemy import event

    full = SearchParams(
        keywords="social listening",
        framework_id=cat.lot1.framework_id,
        lot_id=cat.lot1.id,
        capability_ids=(cat.incident.id, cat.channels.id),
        accreditation="ISO 27001",
        sme_only=True,
        page=2,
    )
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        search(full, today_london())
        search(SearchParams(), today_london())
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    assert len(statements) == 2
