"""Legal names, identifiers and regions of buyer organisations and suppliers: checked on entry and audited."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent
from portal.services.errors import ConflictError, PermissionDeniedError, ValidationError
from portal.services.people import organisations
from portal.services.suppliers import profiles as suppliers
from tests.factories import make_organisation, make_supplier, make_user


def _events(event_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)))


def test_an_organisation_is_created_with_its_legal_body_and_normalised_identifiers():
    staff = make_user("staff")
    db.session.commit()
    org = organisations.create_organisation(
        staff,
        name="Surrey Police",
        organisation_type="police",
        legal_name=" Police and Crime  Commissioner for Surrey ",
        ppon="pxxb - 7538 - xldd",
        itl_region="TLJ",
    )
    assert org.legal_name == "Police and Crime Commissioner for Surrey"
    assert org.ppon == "PXXB-7538-XLDD"
    assert org.companies_house_number is None
    assert [i.party_id for i in org.identifiers] == ["GB-PPON-PXXB-7538-XLDD"]
    assert org.itl_region_label == "South East (TLJ)"
    (event,) = _events("organisation.created")
    after = json.loads(event.after_json)
    assert after["legal_name"] == "Police and Crime Commissioner for Surrey"
    assert after["ppon"] == "PXXB-7538-XLDD"


def test_a_blank_legal_name_is_the_organisations_name():
    staff = make_user("staff")
    db.session.commit()
    org = organisations.create_organisation(staff, name="Kent County Council", organisation_type="local_authority")
    assert org.legal_name == "Kent County Council"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("ppon", "PXXB7538", "Enter a PPON in the correct format, like PXXB-7538-XLDD"),
        ("companies_house_number", "1234", "like 05379456 or SC123456"),
        ("charity_number", "12-34", "like 1123456"),
        ("itl_region", "UKJ", "Select the region from the list"),
    ],
)
def test_a_malformed_identifier_or_region_is_refused_on_its_field_and_nothing_changes(field, value, message):
    staff = make_user("staff")
    org = make_organisation("Kent Police")
    db.session.commit()
    with pytest.raises(ValidationError, match=message) as caught:
        organisations.update_organisation(staff, org, name="Kent Police", organisation_type="police", **{field: value})
    assert caught.value.field == field
    db.session.rollback()
    assert getattr(org, field) is None
    assert _events("organisation.updated") == []


def test_an_identity_edit_is_audited_with_before_and_after_and_leaves_unnamed_fields_alone():
    staff = make_user("staff")
    org = make_organisation("Kent Police")
    db.session.commit()
    assert organisations.update_organisation(
        staff, org, name="Kent Police", organisation_type="police", legal_name="Chief Constable of Kent Police"
    )
    assert not organisations.update_organisation(staff, org, name="Kent Police", organisation_type="police", ppon="")
    assert org.legal_name == "Chief Constable of Kent Police"  # the second edit did not name it
    (event,) = _events("organisation.updated")
    assert json.loads(event.before_json) == {"legal_name": "Kent Police"}
    assert json.loads(event.after_json) == {"legal_name": "Chief Constable of Kent Police"}


def test_only_staff_change_an_organisations_identity():
    org = make_organisation("Kent Police")
    buyer = make_user("buyer", organisation=org)
    db.session.commit()
    with pytest.raises(PermissionDeniedError):
        organisations.update_organisation(buyer, org, name="Kent Police", organisation_type="police", ppon="")


def test_staff_set_a_suppliers_identifiers_normalised_and_audited():
    staff = make_user("staff")
    supplier = make_supplier(legal_name="Softcat plc")
    changed = suppliers.update_supplier(
        staff,
        supplier,
        {"companies_house_number": "02174990", "ppon": "gb-ppon-pabc-1234-defg", "itl_region": "tlj"},
    )
    assert changed
    assert (supplier.ppon, supplier.itl_region) == ("PABC-1234-DEFG", "TLJ")
    assert [i.scheme.value for i in supplier.identifiers] == ["GB-PPON", "GB-COH"]
    (event,) = _events("supplier.updated")
    assert json.loads(event.after_json) == {
        "companies_house_number": "02174990",
        "itl_region": "TLJ",
        "ppon": "PABC-1234-DEFG",
    }


def test_a_suppliers_malformed_ppon_or_charity_number_is_refused_on_its_field():
    staff = make_user("staff")
    supplier = make_supplier()
    for field, value in (("ppon", "P-1"), ("charity_number", "1"), ("itl_region", "ZZZ")):
        with pytest.raises(ValidationError) as caught:
            suppliers.update_supplier(staff, supplier, {field: value})
        assert caught.value.field == field


def test_two_suppliers_never_share_a_ppon():
    staff = make_user("staff")
    make_supplier(legal_name="Orlo Ltd", ppon="PABC-1234-DEFG")
    with pytest.raises(ConflictError) as caught:
        suppliers.create_supplier(staff, {"legal_name": "Other Ltd", "ppon": "PABC-1234-DEFG"})
    assert caught.value.field == "ppon"


def test_a_supplier_user_cannot_change_its_identifiers():
    user = make_user("supplier")
    with pytest.raises(PermissionDeniedError):
        suppliers.update_supplier(user, user.supplier, {"ppon": "PABC-1234-DEFG"})
