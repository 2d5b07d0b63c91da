"""Services for frameworks and their structure: state, refusals and the audit events they write."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Capability, ExtensionOption, Framework, PriceItem
from portal.services.errors import ConflictError, NotFoundError, PermissionDeniedError, ValidationError
from portal.services.frameworks import editing, structure
from tests.factories import (
    make_capability,
    make_claim,
    make_extension,
    make_framework,
    make_lot,
    make_price,
    make_price_item,
    make_supplier,
    make_user,
)


def details(**changes) -> editing.FrameworkDetails:
    values = {
        "reference": "PDS-SMM-2021",
        "name": "Social media management",
        "description": "For police forces",
        "regime": "pcr2015",
        "start_on": date(2021, 4, 1),
        "initial_end_on": date(2023, 3, 31),
        "max_call_off_months": 36,
        "min_bid_period_days": 10,
        "bank_holiday_region": "england-and-wales",
        "extension_months": [12, 12],
        "buyer_types": ["police", "fire"],
    }
    values.update(changes)
    return editing.FrameworkDetails(**values)


def events(event_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)))


@pytest.fixture
def staff():
    user = make_user("staff", name="Priya Shah")
    db.session.commit()
    return user


def test_create_framework_stores_options_buyer_types_and_audits(staff):
    framework = editing.create_framework(staff, details())
    stored = db.session.get(Framework, framework.id)
    assert [o.months for o in stored.extension_options] == [12, 12]
    assert [o.sequence for o in stored.extension_options] == [1, 2]
    assert sorted(stored.buyer_type_values) == ["fire", "police"]
    assert stored.term_description == "2 years + 1 + 1"
    [event] = events("framework.created")
    after = json.loads(event.after_json)
    assert event.actor_id == staff.id
    assert after["reference"] == "PDS-SMM-2021"
    assert after["extension_months"] == [12, 12]
    assert after["start_on"] == "2021-04-01"


@pytest.mark.parametrize("role", ["buyer", "supplier", "approver"])
def test_only_staff_may_create_a_framework(role):
    user = make_user(role)
    db.session.commit()
    with pytest.raises(PermissionDeniedError):
        editing.create_framework(user, details())
    assert db.session.scalar(select(func.count(Framework.id))) == 0
    assert events("framework.created") == []


def test_duplicate_reference_is_refused_whatever_the_case(staff):
    editing.create_framework(staff, details())
    with pytest.raises(ConflictError) as raised:
        editing.create_framework(staff, details(reference="pds-smm-2021"))
    assert raised.value.field == "reference"
    assert "already exists" in raised.value.message


def test_pa_2023_term_over_four_years_is_refused_on_the_options_field(staff):
    with pytest.raises(ValidationError) as raised:
        editing.create_framework(
            staff,
            details(
                regime="pa2023", start_on=date(2025, 4, 1), initial_end_on=date(2028, 3, 31), extension_months=[12, 12]
            ),
        )
    assert raised.value.field == "extension_months"
    assert "s.47" in raised.value.message


def test_end_before_start_is_refused_on_the_end_date(staff):
    with pytest.raises(ValidationError) as raised:
        editing.create_framework(staff, details(initial_end_on=date(2021, 3, 1)))
    assert raised.value.field == "initial_end_on"


def test_blank_name_and_no_buyer_types_are_refused(staff):
    with pytest.raises(ValidationError) as raised:
        editing.create_framework(staff, details(name="  "))
    assert raised.value.field == "name"
    with pytest.raises(ValidationError) as raised:
        editing.create_framework(staff, details(buyer_types=[]))
    assert raised.value.field == "buyer_types"


def test_update_audits_only_what_changed(staff):
    framework = editing.create_framework(staff, details())
    editing.update_framework(
        staff, framework, details(name="Renamed", extension_months=[12, 6], buyer_types=["police"])
    )
    [event] = events("framework.updated")
    assert json.loads(event.before_json) == {
        "name": "Social media management",
        "extension_months": [12, 12],
        "buyer_types": ["fire", "police"],
    }
    assert json.loads(event.after_json) == {"name": "Renamed", "extension_months": [12, 6], "buyer_types": ["police"]}
    assert framework.term_description == "2 years + 1 + 6 months"


def test_update_with_no_change_writes_no_event(staff):
    framework = editing.create_framework(staff, details())
    editing.update_framework(staff, framework, details())
    assert events("framework.updated") == []


def test_update_may_not_change_an_exercised_option(staff):
    framework = make_framework()
    make_extension(framework, 1, 12, exercised_by=staff)
    db.session.commit()
    with pytest.raises(ValidationError) as raised:
        editing.update_framework(staff, framework, details(reference=framework.reference, extension_months=[6]))
    assert raised.value.field == "extension_months"
    assert "Option 1 has been exercised" in raised.value.message
    assert [o.months for o in db.session.get(Framework, framework.id).extension_options] == [12]


def test_update_may_remove_unexercised_options(staff):
    framework = editing.create_framework(staff, details())
    editing.update_framework(staff, framework, details(extension_months=[]))
    assert db.session.scalar(select(func.count(ExtensionOption.id))) == 0


def test_update_refuses_another_frameworks_reference(staff):
    editing.create_framework(staff, details(reference="A-1"))
    other = editing.create_framework(staff, details(reference="B-2"))
    with pytest.raises(ConflictError):
        editing.update_framework(staff, other, details(reference="A-1"))
    assert db.session.get(Framework, other.id).reference == "B-2"


def test_exercise_records_who_and_when_and_moves_the_end(staff):
    framework = editing.create_framework(staff, details())
    first = framework.extension_options[0]
    editing.exercise_extension(staff, framework, first.id, today=date(2023, 3, 1))
    option = db.session.get(ExtensionOption, first.id)
    assert option.exercised_at is not None
    assert option.exercised_by_id == staff.id
    assert framework.current_end_on == date(2024, 3, 31)
    assert framework.status_on(date(2024, 3, 31)).value == "live"
    [event] = events("framework.extension_exercised")
    assert json.loads(event.before_json)["current_end_on"] == "2023-03-31"
    assert json.loads(event.after_json)["current_end_on"] == "2024-03-31"


def test_exercise_out_of_order_is_refused(staff):
    framework = editing.create_framework(staff, details())
    second = framework.extension_options[1]
    with pytest.raises(ConflictError, match="option 1 comes first"):
        editing.exercise_extension(staff, framework, second.id, today=date(2023, 3, 1))
    assert db.session.get(ExtensionOption, second.id).exercised_at is None
    assert events("framework.extension_exercised") == []


def test_exercise_after_expiry_is_refused(staff):
    framework = editing.create_framework(staff, details())
    with pytest.raises(ConflictError, match="expired"):
        editing.exercise_extension(staff, framework, framework.extension_options[0].id, today=date(2023, 4, 1))


def test_exercise_an_option_of_another_framework_is_not_found(staff):
    one = editing.create_framework(staff, details(reference="A-1"))
    two = editing.create_framework(staff, details(reference="B-2"))
    with pytest.raises(NotFoundError):
        editing.exercise_extension(staff, one, two.extension_options[0].id, today=date(2023, 3, 1))


def test_buyers_may_not_exercise_options(staff):
    framework = editing.create_framework(staff, details())
    with pytest.raises(PermissionDeniedError):
        editing.exercise_extension(make_user("buyer"), framework, framework.extension_options[0].id)


# Lots, capabilities, price items


def test_add_lot_and_refuse_a_duplicate_number(staff):
    framework = make_framework()
    lot = structure.add_lot(staff, framework, number=1, title=" Platform ", description="")
    assert lot.title == "Platform"
    assert json.loads(events("lot.created")[0].after_json)["number"] == 1
    with pytest.raises(ConflictError, match="Lot 1 already exists") as raised:
        structure.add_lot(staff, framework, number=1, title="Another")
    assert raised.value.field == "number"


def test_update_lot_audits_before_and_after(staff):
    lot = make_lot(title="Old title")
    db.session.commit()
    structure.update_lot(staff, lot, number=lot.number, title="New title", description="More", cpv_code="48000000-8")
    [event] = events("lot.updated")
    assert json.loads(event.before_json) == {"title": "Old title", "description": "", "cpv_code": None}
    assert json.loads(event.after_json) == {"title": "New title", "description": "More", "cpv_code": "48000000-8"}


def test_a_lot_cpv_code_is_checked_and_may_be_cleared(staff):
    lot = make_lot(title="Platform")
    db.session.commit()
    with pytest.raises(ValidationError, match="8 digits, a hyphen and a check digit") as raised:
        structure.update_lot(staff, lot, number=lot.number, title="Platform", cpv_code="72000000")
    assert raised.value.field == "cpv_code" and lot.cpv_code is None
    structure.update_lot(staff, lot, number=lot.number, title="Platform", cpv_code="")
    assert lot.cpv_code is None


def test_capabilities_are_unique_per_lot_and_added_at_the_end(staff):
    lot = make_lot()
    make_capability(lot, "Existing", position=5)
    db.session.commit()
    capability = structure.add_capability(staff, lot, name="24/7 contact")
    assert capability.position == 6
    with pytest.raises(ConflictError) as raised:
        structure.add_capability(staff, lot, name="24/7 CONTACT")
    assert raised.value.field == "name"
    other_lot = make_lot(lot.framework)
    structure.add_capability(staff, other_lot, name="24/7 contact")  # a different lot may reuse a name


def test_update_capability_changes_name_and_position(staff):
    lot = make_lot()
    capability = make_capability(lot, "Old")
    db.session.commit()
    structure.update_capability(staff, capability, name="New", description="Why", position=3)
    [event] = events("capability.updated")
    assert json.loads(event.after_json) == {"name": "New", "description": "Why", "position": 3}


def test_remove_unclaimed_capability_is_audited(staff):
    capability = make_capability(make_lot(), "Unused")
    db.session.commit()
    capability_id = capability.id
    structure.remove_capability(staff, capability)
    assert db.session.get(Capability, capability_id) is None
    [event] = events("capability.removed")
    assert json.loads(event.before_json)["name"] == "Unused"


def test_remove_claimed_capability_is_refused(staff):
    capability = make_capability(make_lot(), "Claimed")
    make_claim(make_supplier(), capability)
    db.session.commit()
    with pytest.raises(ConflictError, match="1 supplier has claimed this capability"):
        structure.remove_capability(staff, capability)
    assert db.session.get(Capability, capability.id) is not None
    assert events("capability.removed") == []


def test_price_items_add_update_and_refuse_bad_basis(staff):
    lot = make_lot()
    db.session.commit()
    item = structure.add_price_item(staff, lot, name="User licence", unit="per user licence", basis="per_month")
    assert item.basis_label == "per month"
    structure.update_price_item(staff, item, name="User licence", unit="per user", basis="per_month")
    assert json.loads(events("price_item.updated")[0].after_json) == {"unit": "per user"}
    with pytest.raises(ValidationError) as raised:
        structure.add_price_item(staff, lot, name="Training", unit="per session", basis="weekly")
    assert raised.value.field == "basis"
    with pytest.raises(ConflictError):
        structure.add_price_item(staff, lot, name="user licence", unit="per user", basis="one_off")


def test_remove_priced_item_is_refused_and_unpriced_item_removed(staff):
    lot = make_lot()
    priced = make_price_item(lot, "Licence")
    spare = make_price_item(lot, "Spare")
    make_price(make_supplier(), priced, 1000)
    db.session.commit()
    with pytest.raises(ConflictError, match="priced this item"):
        structure.remove_price_item(staff, priced)
    spare_id = spare.id
    structure.remove_price_item(staff, spare)
    assert db.session.get(PriceItem, spare_id) is None
    assert db.session.get(PriceItem, priced.id) is not None
    assert len(events("price_item.removed")) == 1


def test_structure_changes_need_staff():
    lot = make_lot()
    supplier_user = make_user("supplier")
    db.session.commit()
    with pytest.raises(PermissionDeniedError):
        structure.add_capability(supplier_user, lot, name="Sneaky")
    with pytest.raises(PermissionDeniedError):
        structure.add_price_item(supplier_user, lot, name="Sneaky", unit="each", basis="one_off")
