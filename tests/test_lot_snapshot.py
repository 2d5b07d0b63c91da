"""The catalogue stamp (triggers, migration 0006) and the lot snapshot the direct award match reads through it.

The snapshot is only safe if every change to what the match reads gives the stamp a new value, whichever way the
change is made, and if a snapshot is never reused across one. These tests make each kind of change through the
ORM, through Core and, for a price, inside a transaction that is rolled back.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import delete, inspect, select, text, update

from portal.domain.suppliers import FrameworkTerm, Ineligible
from portal.domain.timefmt import today_london
from portal.extensions import db
from portal.models import (
    Accreditation,
    AuditEvent,
    CapabilityClaim,
    CatalogueVersion,
    Exclusion,
    LotMembership,
    Supplier,
    SupplierPrice,
    User,
)
from portal.models.catalogue_version import CATALOGUE_TABLES
from portal.services.direct_awards import lot_snapshot
from portal.services.direct_awards import shortlist as shortlists
from portal.services.suppliers.eligibility import framework_term
from tests.factories import make_exclusion, make_price, make_supplier
from tests.test_direct_award_world import build_world, ready_award


@pytest.fixture
def world():
    lot_snapshot.forget()
    return build_world()


def _capable(award) -> list[tuple[str, int]]:
    return [(s.name, s.total_pence) for s in shortlists.run(award).capable]


def _reasons(award) -> dict[str, list[str]]:
    return {n.name: [r.message for r in n.reasons] for n in shortlists.run(award).not_capable}


# --- The stamp ----------------------------------------------------------------------------------------------------


def _stamp() -> tuple[str, int] | None:
    """The catalogue stamp row as the triggers left it (stamp, version), or None when there is none."""
    row = db.session.execute(select(CatalogueVersion.stamp, CatalogueVersion.version)).first()
    return None if row is None else (row[0], row[1])


def _changes(world):
    """(table, a change made through Core) for each catalogue table and each kind of statement."""
    alpha, gamma = world.suppliers["alpha"], world.suppliers["gamma"]
    today = today_london()
    return {
        "supplier insert": lambda: make_supplier(legal_name="Zeta Ltd"),
        "supplier update": lambda: db.session.execute(
            update(Supplier).where(Supplier.id == alpha.id).values(trading_name="Alpha Renamed")
        ),
        "supplier delete": lambda: db.session.execute(delete(Supplier).where(Supplier.id == gamma.id)),
        "lot_membership update": lambda: db.session.execute(
            update(LotMembership).where(LotMembership.supplier_id == alpha.id).values(framework_ranking=9)
        ),
        "lot_membership delete": lambda: db.session.execute(
            delete(LotMembership).where(LotMembership.supplier_id == gamma.id)
        ),
        "capability_claim delete": lambda: db.session.execute(
            delete(CapabilityClaim).where(CapabilityClaim.supplier_id == alpha.id)
        ),
        "capability_claim update": lambda: db.session.execute(
            update(CapabilityClaim).where(CapabilityClaim.supplier_id == alpha.id).values(evidence="New")
        ),
        "accreditation update": lambda: db.session.execute(
            update(Accreditation).where(Accreditation.supplier_id == alpha.id).values(expires_on=today)
        ),
        "accreditation delete": lambda: db.session.execute(
            delete(Accreditation).where(Accreditation.supplier_id == alpha.id)
        ),
        "supplier_price insert": lambda: make_price(alpha, world.items[0], 1, world.start_on),
        "supplier_price update": lambda: db.session.execute(
            update(SupplierPrice).where(SupplierPrice.supplier_id == alpha.id).values(unit_price_pence=7)
        ),
        "supplier_price delete": lambda: db.session.execute(
            delete(SupplierPrice).where(SupplierPrice.supplier_id == alpha.id)
        ),
        "exclusion insert": lambda: make_exclusion(alpha, today),
        "exclusion update": lambda: db.session.execute(update(Exclusion).values(ends_on=today + timedelta(days=1))),
        "exclusion delete": lambda: db.session.execute(delete(Exclusion)),
    }


CHANGES = [
    "supplier insert", "supplier update", "supplier delete", "lot_membership update", "lot_membership delete",
    "capability_claim delete", "capability_claim update", "accreditation update", "accreditation delete",
    "supplier_price insert", "supplier_price update", "supplier_price delete", "exclusion insert",
    "exclusion update", "exclusion delete",
]  # fmt: skip


@pytest.mark.parametrize("change", CHANGES)
def test_every_change_to_a_catalogue_table_gives_a_new_stamp(world, change):
    before = _stamp()
    assert before is not None  # building the world changed the catalogue
    _changes(world)[change]()
    db.session.commit()
    after = _stamp()
    assert after[0] != before[0] and after[1] > before[1]


def test_the_change_list_covers_every_catalogue_table():
    assert {c.split()[0] for c in CHANGES} == set(CATALOGUE_TABLES)


def test_changes_elsewhere_leave_the_stamp_alone(world):
    before = _stamp()
    db.session.execute(update(User).values(name="Renamed"))
    db.session.execute(delete(AuditEvent))
    ready_award(world)  # a direct award and its audit events
    db.session.commit()
    assert _stamp() == before


def test_the_row_comes_back_with_a_new_stamp_after_it_is_deleted(world):
    before = _stamp()
    db.session.execute(delete(CatalogueVersion))
    db.session.commit()
    assert _stamp() is None
    make_price(world.suppliers["alpha"], world.items[0], 1, world.start_on)
    db.session.commit()
    stamp, version = _stamp()
    assert (version, stamp != before[0]) == (1, True)


def test_every_catalogue_table_has_its_triggers():
    # SQLite drops a table's triggers when a migration rebuilds it (batch_alter_table): a later migration that
    # does so must create them again, or the snapshot would go stale without anyone noticing.
    if db.engine.dialect.name == "postgresql":
        found = set(db.session.scalars(text(
            "SELECT tgrelid::regclass::text FROM pg_trigger WHERE tgname LIKE 'catalogue_version_%' "
            "AND tgfoid = 'catalogue_version_bump'::regproc"
        )))  # fmt: skip
        assert found == set(CATALOGUE_TABLES)
    else:
        rows = db.session.execute(text("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")).all()
        for table in CATALOGUE_TABLES:
            events = {event for event in ("INSERT", "UPDATE", "DELETE")
                      for name, sql in rows if name == table and f"AFTER {event} ON {table}" in sql}  # fmt: skip
            assert events == {"INSERT", "UPDATE", "DELETE"}, table
    assert "catalogue_version" in inspect(db.engine).get_table_names()


# --- The snapshot -------------------------------------------------------------------------------------------------


def test_the_snapshot_is_reused_until_the_catalogue_changes(world):
    award = ready_award(world)
    first = lot_snapshot.snapshot(world.lot.id)
    assert lot_snapshot.snapshot(world.lot.id) is first
    term = framework_term(world.lot.framework)
    assert lot_snapshot.candidates(world.lot.id, today_london(), term) is first.candidates_on(today_london(), term)
    make_price(world.suppliers["beta"], world.items[0], 100, world.start_on)
    db.session.commit()
    assert lot_snapshot.snapshot(world.lot.id) is not first
    assert _capable(award)[0] == ("Beta", 20 * 100 * 12 + 2 * 40000)


@pytest.mark.parametrize(
    ("change", "expected_capable", "reasons"),
    [
        ("price", [("Alpha", 20 * 1000 * 12 + 2 * 50000), ("Beta", 20 * 1200 * 12 + 2 * 90000)], {}),
        ("suspend", [("Beta", 368_000)], {"Alpha": ["Suspended from this lot"]}),
        ("claim", [("Beta", 368_000)], {"Alpha": ["Does not meet: Capability 2"]}),
        ("expire", [("Beta", 368_000)], {"Alpha": ["Cyber Essentials Plus expires on"]}),
        ("exclude", [("Beta", 368_000)], {"Alpha": ["Excluded: an exclusion is in force against this supplier"]}),
        ("rename", [("Alpha Two", 340_000), ("Beta", 368_000)], {}),
    ],
)
def test_results_follow_each_kind_of_change_after_a_cached_run(world, change, expected_capable, reasons):
    award = ready_award(world)
    alpha, beta = world.suppliers["alpha"], world.suppliers["beta"]
    assert _capable(award) == [("Alpha", 340_000), ("Beta", 368_000)]  # now cached
    today = today_london()
    if change == "price":
        make_price(beta, world.items[1], 90000, today - timedelta(days=1))
    elif change == "suspend":
        membership = db.session.scalar(select(LotMembership).where(LotMembership.supplier_id == alpha.id))
        membership.status, membership.status_reason = "suspended", "Test"
    elif change == "claim":
        db.session.delete(next(c for c in alpha.claims if c.capability_id == world.capabilities[1].id))
    elif change == "expire":
        alpha.accreditations[0].expires_on = world.start_on - timedelta(days=1)
    elif change == "exclude":
        make_exclusion(alpha, today)
    elif change == "rename":
        alpha.trading_name = "Alpha Two"
    db.session.commit()
    assert _capable(award) == expected_capable
    found = _reasons(award)
    for name, starts in reasons.items():
        assert [m[: len(s)] for m, s in zip(found[name], starts, strict=True)] == starts


def test_a_snapshot_read_in_a_rolled_back_transaction_is_never_reused(world):
    award = ready_award(world)
    assert _capable(award)[0] == ("Alpha", 340_000)
    make_price(world.suppliers["beta"], world.items[0], 1, world.start_on)
    db.session.flush()
    assert _capable(award)[0] == ("Beta", 20 * 1 * 12 + 80_000)  # read inside the transaction
    db.session.rollback()
    assert _capable(award)[0] == ("Alpha", 340_000)
    # A later committed change gets a new stamp, never the rolled-back one, so the snapshot is read again.
    make_price(world.suppliers["beta"], world.items[0], 1100, world.start_on)
    db.session.commit()
    assert _capable(award) == [("Alpha", 340_000), ("Beta", 20 * 1100 * 12 + 80_000)]


def test_exclusions_are_judged_on_the_day_asked(world):
    epsilon = world.suppliers["epsilon"].id
    snap = lot_snapshot.snapshot(world.lot.id)
    today, term = today_london(), framework_term(world.lot.framework)
    excluded = {c.supplier_id: c.eligibility.reasons for c in snap.candidates_on(today, term)}
    assert excluded[epsilon] == (Ineligible.EXCLUDED,)
    earlier = {c.supplier_id: c.eligibility.reasons for c in snap.candidates_on(today - timedelta(days=11), term)}
    assert earlier[epsilon] == ()


def test_eligibility_follows_the_frameworks_term_which_is_not_cached(world):
    snap = lot_snapshot.snapshot(world.lot.id)
    today, term = today_london(), framework_term(world.lot.framework)
    assert snap.candidates_on(today, term)[0].eligibility.eligible
    ended = FrameworkTerm(term.start_on, today - timedelta(days=1))
    assert all(Ineligible.FRAMEWORK_EXPIRED in c.eligibility.reasons for c in snap.candidates_on(today, ended))


def test_removed_members_are_left_out(world):
    gamma = world.suppliers["gamma"]
    membership = db.session.scalar(select(LotMembership).where(LotMembership.supplier_id == gamma.id))
    membership.status, membership.status_reason = "removed", "Left the framework"
    db.session.commit()
    names = {c.name for c in lot_snapshot.candidates(world.lot.id, today_london(), framework_term(world.lot.framework))}
    assert names == {"Alpha", "Beta", "Delta", "Epsilon"}


def test_at_most_max_lots_snapshots_are_kept(world, monkeypatch):
    monkeypatch.setattr(lot_snapshot, "MAX_LOTS", 1)
    from tests.factories import make_lot

    other = make_lot(world.lot.framework, direct_award_allowed=True)
    db.session.commit()
    first = lot_snapshot.snapshot(world.lot.id)
    lot_snapshot.snapshot(other.id)
    assert lot_snapshot.snapshot(world.lot.id) is not first


def test_a_snapshot_read_after_changing_the_catalogue_in_the_same_transaction_is_not_kept(world):
    # PostgreSQL gives the stamp a new value once per transaction: a change after the read would not change it
    # again, so what such a transaction reads is used but never kept.
    award = ready_award(world)
    beta = world.suppliers["beta"]
    make_price(beta, world.items[0], 1, world.start_on)
    db.session.flush()
    assert _capable(award)[0] == ("Beta", 20 * 1 * 12 + 80_000)
    make_price(beta, world.items[1], 1, world.start_on)
    db.session.commit()
    assert _capable(award)[0] == ("Beta", 20 * 1 * 12 + 2 * 1)


def test_auditing_before_or_after_changing_the_catalogue_cannot_deadlock(app, world, is_postgres):
    """One transaction changes the catalogue and then audits; the other audits and then changes the catalogue.
    Both locks (the catalogue version row and the audit chain head) are taken in one order, so both commit."""
    if not is_postgres:
        pytest.skip("row locks need PostgreSQL; SQLite writes one transaction at a time")
    import threading
    import time

    from portal.services import audit

    alpha_id, beta_id = world.suppliers["alpha"].id, world.suppliers["beta"].id
    first_has_changed = threading.Event()
    outcomes: dict[str, object] = {}

    def rename(supplier_id: int, name: str):
        return lambda: db.session.execute(update(Supplier).where(Supplier.id == supplier_id).values(trading_name=name))

    def transaction(label: str, steps) -> threading.Thread:
        def run():
            with app.app_context():
                try:
                    for step in steps:
                        step()
                    db.session.commit()
                    outcomes[label] = "committed"
                except Exception as error:  # the test reports it
                    outcomes[label] = error
                finally:
                    db.session.rollback()
                    db.session.remove()

        return threading.Thread(target=run)

    first = transaction("first", [
        rename(alpha_id, "Alpha 2"),
        first_has_changed.set,
        lambda: time.sleep(0.5),  # the other transaction audits meanwhile
        lambda: audit.record(None, "test.changed_then_audited", "supplier", alpha_id),
    ])  # fmt: skip
    second = transaction("second", [
        lambda: first_has_changed.wait(10),
        lambda: audit.record(None, "test.audited_then_changed", "supplier", beta_id),
        rename(beta_id, "Beta 2"),
    ])  # fmt: skip
    threads = [first, second]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcomes == {"first": "committed", "second": "committed"}
    names = set(db.session.scalars(select(Supplier.trading_name).where(Supplier.id.in_([alpha_id, beta_id]))))
    assert names == {"Alpha 2", "Beta 2"}
