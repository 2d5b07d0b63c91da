"""Supplier services: profiles, lot membership, evidence, accreditations, prices and exclusions."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, LotMembership, SupplierPrice, SupplierSearchDocument
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from portal.services.suppliers import evidence, exclusions, lot_membership, price_cards
from portal.services.suppliers import profiles as suppliers
from tests.factories import (
    make_accreditation,
    make_capability,
    make_exclusion,
    make_lot,
    make_membership,
    make_price,
    make_price_item,
    make_supplier,
    make_user,
)


def events(event_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)).all())


def search_body(supplier) -> str:
    doc = db.session.get(SupplierSearchDocument, supplier.id)
    return doc.body if doc else ""


# --- profiles -------------------------------------------------------------------------------------


def test_staff_create_a_supplier_with_audit_and_search_document():
    staff = make_user("staff")
    supplier = suppliers.create_supplier(
        staff,
        {
            "legal_name": " Orlo Ltd ",
            "trading_name": "Orlo",
            "companies_house_number": "05379456",
            "sme": True,
            "description": "Social media management",
        },
    )
    assert supplier.legal_name == "Orlo Ltd"
    [event] = events("supplier.created")
    assert event.actor_party == "staff"
    assert json.loads(event.after_json)["companies_house_number"] == "05379456"
    assert "Social media management" in search_body(supplier)


def test_legal_name_and_company_number_are_unique():
    staff = make_user("staff")
    make_supplier(legal_name="Orlo Ltd", companies_house_number="05379456")
    with pytest.raises(ConflictError) as err:
        suppliers.create_supplier(staff, {"legal_name": "orlo ltd"})
    assert err.value.field == "legal_name"
    with pytest.raises(ConflictError) as err:
        suppliers.create_supplier(staff, {"legal_name": "Other Ltd", "companies_house_number": "05379456"})
    assert err.value.field == "companies_house_number"


def test_malformed_company_number_is_a_validation_error():
    with pytest.raises(ValidationError, match="like 05379456"):
        suppliers.create_supplier(make_user("staff"), {"legal_name": "X Ltd", "companies_house_number": "123"})


def test_only_staff_create_suppliers():
    with pytest.raises(PermissionDeniedError):
        suppliers.create_supplier(make_user("supplier"), {"legal_name": "X Ltd"})


def test_supplier_user_edits_own_contact_details_audited_as_supplier_and_reindexed():
    user = make_user("supplier")
    supplier = user.supplier
    changed = suppliers.update_supplier(user, supplier, {"trading_name": "Brand new", "description": "Listening tools"})
    assert changed
    [event] = events("supplier.updated")
    assert event.actor_party == "supplier"
    assert json.loads(event.after_json) == {"trading_name": "Brand new", "description": "Listening tools"}
    assert "trading_name" in json.loads(event.before_json)
    assert "Listening tools" in search_body(supplier)


def test_supplier_user_cannot_change_legal_name():
    user = make_user("supplier")
    with pytest.raises(PermissionDeniedError):
        suppliers.update_supplier(user, user.supplier, {"legal_name": "Renamed Ltd"})


def test_supplier_cannot_edit_another_supplier():
    user = make_user("supplier")
    other = make_supplier()
    with pytest.raises(PermissionDeniedError):
        suppliers.update_supplier(user, other, {"trading_name": "Hijacked"})


def test_unchanged_profile_writes_no_event():
    user = make_user("supplier")
    assert not suppliers.update_supplier(user, user.supplier, {"trading_name": user.supplier.trading_name})
    assert events("supplier.updated") == []


def test_search_and_status_summary():
    lot = make_lot()
    orlo = make_supplier(legal_name="Orlo Ltd", trading_name="Orlo")
    softcat = make_supplier(legal_name="Softcat plc", trading_name="Softcat")
    make_membership(orlo, lot)
    make_membership(softcat, lot, status="suspended", reason="Late returns")
    make_exclusion(softcat, date(2025, 1, 1), date(2026, 1, 1))
    db.session.commit()
    rows, total = suppliers.search_suppliers("soft", date(2025, 6, 1))
    assert total == 1 and rows[0].supplier.id == softcat.id and rows[0].excluded and rows[0].suspended_lots == 1
    summary = suppliers.status_summary(date(2025, 6, 1))
    assert (summary.total, summary.on_a_lot, summary.suspended, summary.excluded) == (2, 1, 1, 1)


# --- lot membership ---------------------------------------------------------------------------------


def test_add_to_lot_and_refuse_a_second_membership():
    staff = make_user("staff")
    supplier, lot = make_supplier(), make_lot()
    membership = lot_membership.add_to_lot(staff, supplier, lot.id, date(2021, 4, 1))
    assert membership.status == "active" and membership.status_changed_at is not None
    assert events("lot_membership.added")
    with pytest.raises(ConflictError):
        lot_membership.add_to_lot(staff, supplier, lot.id, date(2021, 4, 1))


def test_joining_a_lot_outside_the_frameworks_term_is_refused():
    staff = make_user("staff")
    supplier, lot = make_supplier(), make_lot()  # the framework runs from 1 April 2021 to 31 March 2023
    with pytest.raises(ValidationError, match="on or before the framework's end, 31 March 2023") as refused:
        lot_membership.add_to_lot(staff, supplier, lot.id, date(2024, 1, 10))
    assert refused.value.field == "joined_on"
    with pytest.raises(ValidationError, match="on or after the framework's start, 1 April 2021"):
        lot_membership.add_to_lot(staff, supplier, lot.id, date(2021, 3, 31))
    assert db.session.scalar(select(LotMembership)) is None and not events("lot_membership.added")
    assert lot_membership.add_to_lot(staff, supplier, lot.id, date(2023, 3, 31)).joined_on == date(2023, 3, 31)


def test_suspend_needs_a_reason():
    staff = make_user("staff")
    membership = make_membership(make_supplier(), make_lot())
    with pytest.raises(ValidationError) as err:
        lot_membership.suspend(staff, membership, "  ")
    assert err.value.field == "reason"
    assert membership.status == "active"


def test_database_refuses_a_suspension_without_reason():
    from sqlalchemy.exc import IntegrityError

    membership = make_membership(make_supplier(), make_lot())
    membership.status = "suspended"
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_suspend_then_reinstate_stamps_and_audits():
    staff = make_user("staff")
    membership = make_membership(make_supplier(), make_lot())
    lot_membership.suspend(staff, membership, "Failed security audit")
    assert membership.status == "suspended" and membership.status_reason == "Failed security audit"
    first_stamp = membership.status_changed_at
    assert first_stamp is not None
    [event] = events("lot_membership.suspended")
    assert json.loads(event.before_json)["status"] == "active"
    assert json.loads(event.after_json)["status"] == "suspended"
    lot_membership.reinstate(staff, membership, "Audit passed")
    assert membership.status == "active" and membership.status_reason == ""
    assert events("lot_membership.reinstated")


def test_remove_needs_reason_and_date_and_is_final():
    staff = make_user("staff")
    membership = make_membership(make_supplier(), make_lot(), joined_on=date(2021, 4, 1))
    with pytest.raises(ValidationError) as err:
        lot_membership.remove(staff, membership, "Contract ended", None)
    assert err.value.field == "left_on"
    with pytest.raises(ValidationError):
        lot_membership.remove(staff, membership, "Contract ended", date(2020, 1, 1))
    lot_membership.remove(staff, membership, "Contract ended", date(2023, 3, 31))
    assert membership.status == "removed" and membership.left_on == date(2023, 3, 31)
    with pytest.raises(ConflictError):
        lot_membership.reinstate(staff, membership)


def test_suppliers_cannot_change_memberships():
    user = make_user("supplier")
    membership = make_membership(user.supplier, make_lot())
    with pytest.raises(PermissionDeniedError):
        lot_membership.suspend(user, membership, "Because")
    with pytest.raises(PermissionDeniedError):
        lot_membership.add_to_lot(user, user.supplier, make_lot().id, date(2021, 4, 1))


def test_membership_of_another_supplier_is_not_found():
    membership = make_membership(make_supplier(), make_lot())
    with pytest.raises(NotFoundError):
        lot_membership.get_membership(make_supplier(), membership.id)


# --- capability evidence ---------------------------------------------------------------------------


def test_supplier_claims_capability_on_active_lot_and_search_is_reindexed():
    user = make_user("supplier")
    lot = make_lot()
    make_membership(user.supplier, lot)
    capability = make_capability(lot, "24/7 digital contact channel")
    claim = evidence.save_claim(user, user.supplier, capability.id, "Our contact centre never sleeps")
    assert claim.evidence == "Our contact centre never sleeps"
    assert "never sleeps" in search_body(user.supplier)
    [event] = events("capability_claim.added")
    assert event.actor_party == "supplier"
    evidence.save_claim(user, user.supplier, capability.id, "Staffed around the clock")
    [event] = events("capability_claim.updated")
    assert json.loads(event.before_json) == {"evidence": "Our contact centre never sleeps"}
    assert "around the clock" in search_body(user.supplier)
    assert "never sleeps" not in search_body(user.supplier)


def test_evidence_is_required():
    user = make_user("supplier")
    lot = make_lot()
    make_membership(user.supplier, lot)
    with pytest.raises(ValidationError):
        evidence.save_claim(user, user.supplier, make_capability(lot).id, "   ")


def test_supplier_cannot_claim_on_a_suspended_lot_but_staff_can():
    user = make_user("supplier")
    lot = make_lot()
    make_membership(user.supplier, lot, status="suspended", reason="Investigation")
    capability = make_capability(lot)
    with pytest.raises(PermissionDeniedError):
        evidence.save_claim(user, user.supplier, capability.id, "Evidence")
    evidence.save_claim(make_user("staff"), user.supplier, capability.id, "Recorded by staff")
    assert events("capability_claim.added")[0].actor_party == "staff"


def test_supplier_cannot_claim_for_another_supplier():
    user = make_user("supplier")
    other = make_supplier()
    lot = make_lot()
    make_membership(other, lot)
    with pytest.raises(PermissionDeniedError):
        evidence.save_claim(user, other, make_capability(lot).id, "Evidence")


# --- accreditations ----------------------------------------------------------------------------------


def test_accreditation_add_change_remove_are_audited():
    user = make_user("supplier")
    accreditation = evidence.add_accreditation(
        user, user.supplier, scheme="ISO 27001", awarded_on=date(2024, 1, 1), expires_on=date(2027, 1, 1)
    )
    evidence.update_accreditation(user, accreditation, scheme="ISO 27001", certificate_reference="IS 123")
    evidence.remove_accreditation(user, accreditation)
    assert [len(events(t)) for t in ("accreditation.added", "accreditation.updated", "accreditation.removed")] == [
        1,
        1,
        1,
    ]
    assert json.loads(events("accreditation.removed")[0].before_json)["scheme"] == "ISO 27001"
    assert user.supplier.accreditations == []


def test_accreditation_expiry_must_follow_award():
    user = make_user("supplier")
    with pytest.raises(ValidationError) as err:
        evidence.add_accreditation(
            user, user.supplier, scheme="ISO 9001", awarded_on=date(2024, 1, 1), expires_on=date(2023, 1, 1)
        )
    assert err.value.field == "expires_on"


def test_accreditation_of_another_supplier_is_not_found_or_refused():
    user = make_user("supplier")
    other_accreditation = make_accreditation(make_supplier())
    with pytest.raises(NotFoundError):
        evidence.get_accreditation(user.supplier, other_accreditation.id)
    with pytest.raises(PermissionDeniedError):
        evidence.remove_accreditation(user, other_accreditation)


# --- prices ------------------------------------------------------------------------------------------


def _priced_lot():
    staff = make_user("staff")
    supplier, lot = make_supplier(), make_lot()
    make_membership(supplier, lot)
    item = make_price_item(lot, "User licence")
    return staff, supplier, lot, item


def test_price_change_adds_a_version_and_history_shows_old_prices():
    staff, supplier, lot, item = _priced_lot()
    make_price(supplier, item, 1000, date(2021, 4, 1))
    price_cards.add_prices(staff, supplier, lot, date(2025, 7, 1), {item.id: 1250}, today=date(2025, 6, 1))
    versions = db.session.scalars(select(SupplierPrice).order_by(SupplierPrice.effective_from)).all()
    assert [v.unit_price_pence for v in versions] == [1000, 1250]
    assert price_cards.price_card(supplier, lot, date(2025, 6, 30))[0].current.unit_price_pence == 1000
    line = price_cards.price_card(supplier, lot, date(2025, 7, 1))[0]
    assert line.current.unit_price_pence == 1250 and len(line.history) == 2
    assert price_cards.price_card(supplier, lot, date(2025, 6, 1))[0].upcoming.unit_price_pence == 1250
    [event] = events("supplier_price.added")
    assert json.loads(event.before_json)["unit_price_pence"] == 1000
    assert json.loads(event.after_json)["unit_price_pence"] == 1250


def test_same_date_price_is_refused_not_overwritten():
    staff, supplier, lot, item = _priced_lot()
    make_price(supplier, item, 1000, date(2025, 7, 1))
    with pytest.raises(ValidationError, match="never overwritten"):
        price_cards.add_prices(staff, supplier, lot, date(2025, 7, 1), {item.id: 900}, today=date(2025, 6, 1))
    assert db.session.scalar(select(SupplierPrice.unit_price_pence)) == 1000


def test_back_dated_price_change_is_refused():
    staff, supplier, lot, item = _priced_lot()
    make_price(supplier, item, 1000, date(2021, 4, 1))
    with pytest.raises(ValidationError, match="today or in the future"):
        price_cards.add_prices(staff, supplier, lot, date(2024, 1, 1), {item.id: 900}, today=date(2025, 6, 1))


def test_prices_are_staff_only_and_need_membership():
    staff, supplier, lot, item = _priced_lot()
    with pytest.raises(PermissionDeniedError):
        price_cards.add_prices(
            make_user("supplier", supplier=supplier),
            supplier,
            lot,
            date(2025, 7, 1),
            {item.id: 1},
            today=date(2025, 6, 1),
        )
    with pytest.raises(NotFoundError):
        price_cards.add_prices(staff, make_supplier(), lot, date(2025, 7, 1), {item.id: 1}, today=date(2025, 6, 1))


def test_negative_price_is_refused():
    staff, supplier, lot, item = _priced_lot()
    with pytest.raises(ValidationError):
        price_cards.add_prices(staff, supplier, lot, date(2025, 7, 1), {item.id: -1}, today=date(2025, 6, 1))


# --- exclusions --------------------------------------------------------------------------------------


def test_exclusion_without_end_date_takes_the_maximum():
    staff, supplier = make_user("staff"), make_supplier()
    exclusion = exclusions.add_exclusion(
        staff, supplier, ground="Fraud", kind="mandatory", starts_on=date(2025, 3, 1), ends_on=None
    )
    assert exclusion.ends_on == date(2030, 2, 28)
    assert supplier.excluded_on(date(2026, 1, 1))
    assert events("exclusion.added")


def test_exclusion_beyond_the_maximum_is_refused():
    with pytest.raises(ValidationError, match="at most 3 years") as err:
        exclusions.add_exclusion(
            make_user("staff"),
            make_supplier(),
            ground="Poor performance",
            kind="discretionary",
            starts_on=date(2025, 1, 1),
            ends_on=date(2028, 6, 1),
        )
    assert err.value.field == "ends_on"


def test_end_exclusion_early_needs_an_earlier_date_and_reason():
    staff, supplier = make_user("staff"), make_supplier()
    exclusion = exclusions.add_exclusion(
        staff, supplier, ground="Fraud", kind="discretionary", starts_on=date(2025, 1, 1), ends_on=date(2026, 1, 1)
    )
    with pytest.raises(ConflictError):
        exclusions.end_early(staff, exclusion, date(2026, 6, 1), "Typo")
    with pytest.raises(ValidationError):
        exclusions.end_early(staff, exclusion, date(2025, 6, 1), "")
    exclusions.end_early(staff, exclusion, date(2025, 6, 1), "Self-cleaning accepted")
    assert not supplier.excluded_on(date(2025, 6, 2))
    [event] = events("exclusion.ended_early")
    assert json.loads(event.before_json) == {"ends_on": "2026-01-01"}
    assert "Self-cleaning accepted" in event.summary


def test_only_staff_record_exclusions():
    user = make_user("supplier")
    with pytest.raises(PermissionDeniedError):
        exclusions.add_exclusion(
            user, user.supplier, ground="x", kind="mandatory", starts_on=date(2025, 1, 1), ends_on=None
        )


def test_membership_rows_unchanged_by_refused_actions():
    staff = make_user("staff")
    membership = make_membership(make_supplier(), make_lot())
    db.session.commit()
    with pytest.raises(ValidationError):
        lot_membership.suspend(staff, membership, "")
    assert db.session.get(LotMembership, membership.id).status == "active"


def test_a_duplicate_that_slips_past_the_checks_is_a_conflict_not_a_crash(monkeypatch):
    """Two requests racing for the same legal name: the database refuses the second."""
    staff = make_user("staff")
    make_supplier(legal_name="Orlo Ltd")
    monkeypatch.setattr(suppliers, "_check_unique", lambda values, supplier_id: None)
    with pytest.raises(ConflictError, match="already exists"):
        suppliers.create_supplier(staff, {"legal_name": "Orlo Ltd"})
    assert db.session.scalar(select(AuditEvent)) is None
