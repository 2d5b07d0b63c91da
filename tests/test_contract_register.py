"""The contract register: a row at the second signature for both routes, who sees which contract, filters and search,
the contract manager, the pages and the CSV and XLSX exports."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from portal.domain.contract_status import ContractStatus
from portal.extensions import db
from portal.models import AuditEvent, CallOffContract
from portal.services.contracts import register, register_detail, signing
from portal.services.contracts.register import Filters
from portal.services.documents import contract
from portal.services.errors import NotFoundError, PermissionDeniedError, ValidationError
from tests.contract_support import START_ON, approved_direct_award, awarded_competition
from tests.factories import make_user


def _signed(world):
    unsigned = contract.generate(world.buyer, world.kind, world.id)
    signing.sign(world.supplier_user, unsigned.id, "Sam Supplier", "Director", True)
    assert db.session.scalar(select(func.count()).select_from(CallOffContract)) == 0  # one signature: not yet
    outcome = signing.sign(world.approver, unsigned.id, "Ada Approver", "Head of Procurement", True)
    assert outcome.signed is not None
    return outcome.signed


def test_a_competition_enters_the_register_at_the_second_signature():
    world = awarded_competition(ready_to_sign=True)
    signed = _signed(world)
    row = register.of_call_off("competition", world.id)
    assert row is not None and row.direct_award_id is None and row.signed_document_id == signed.id
    assert (row.reference, row.buyer_organisation_id, row.supplier_id) == (
        world.call_off.reference, world.call_off.buyer_organisation_id, world.winner.id,
    )  # fmt: skip
    assert row.start_on == START_ON and row.end_on == date(2028, 3, 31)
    assert row.value_pence and row.vat_pence == round(row.value_pence * 0.2)
    assert row.gross_pence == row.value_pence + row.vat_pence and row.option_months == []
    assert row.signed_at == signed.signed_at
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == "contract.registered")).all()
    assert [e.object_id for e in events] == [str(row.id)]


def test_a_direct_award_enters_the_register_with_its_whole_life_cost():
    world = approved_direct_award(ready_to_sign=True)
    _signed(world)
    row = register.of_call_off("direct_award", world.id)
    assert row is not None and row.competition_id is None and row.supplier_id == world.winner.id
    assert row.value_pence > 0 and row.lot_id == world.call_off.lot_id


def test_who_sees_the_contract():
    world = awarded_competition(ready_to_sign=True)
    _signed(world)
    [row] = db.session.scalars(select(CallOffContract)).all()
    evaluator = make_user("evaluator", organisation=world.buyer.buyer_organisation)
    for user in (world.buyer, world.approver, world.supplier_user, world.staff):
        assert [r.contract.id for r in register.rows(user, Filters())] == [row.id]
        assert register.get_visible(user, row.id).id == row.id
    for user in (world.other_buyer, world.losing_supplier_user, evaluator):
        assert register.rows(user, Filters()) == []
        with pytest.raises(NotFoundError):
            register.get_visible(user, row.id)


def test_filters_search_and_status():
    world = awarded_competition(ready_to_sign=True)
    _signed(world)
    [row] = db.session.scalars(select(CallOffContract)).all()
    staff = world.staff
    found = register.rows
    assert found(staff, Filters(keyword=row.reference.lower()))
    assert found(staff, Filters(keyword=world.winner.legal_name[:4]))
    assert found(staff, Filters(keyword="100%_nothing")) == []
    assert found(staff, Filters(lot_id=row.lot_id)) and found(staff, Filters(lot_id=row.lot_id + 99)) == []
    assert found(staff, Filters(framework_id=row.lot.framework_id))
    assert found(staff, Filters(supplier_id=world.winner.id)) and found(staff, Filters(supplier_id=0)) == []
    assert found(staff, Filters(buyer_organisation_id=row.buyer_organisation_id))
    assert found(staff, Filters(start_from=START_ON)) and found(staff, Filters(start_from=date(2027, 4, 2))) == []
    assert found(staff, Filters(end_by=date(2028, 3, 31))) and found(staff, Filters(end_by=date(2028, 3, 30))) == []
    on = date(2026, 12, 8)
    assert [r.status for r in found(staff, Filters(), today=on)] == [ContractStatus.NOT_STARTED]
    assert found(staff, Filters(status=ContractStatus.ACTIVE), today=on) == []
    assert found(staff, Filters(status=ContractStatus.ENDING_SOON), today=date(2028, 1, 1))


def test_the_buyer_names_a_contract_manager_audited():
    world = awarded_competition(ready_to_sign=True)
    _signed(world)
    [row] = db.session.scalars(select(CallOffContract)).all()
    assert register_detail.set_manager(world.buyer, row.id, world.approver.id).contract_manager_id == world.approver.id
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == "contract.manager_set")).one()
    assert world.approver.name in event.summary
    for outsider_id in (world.other_buyer.id, world.supplier_user.id, 999_999):
        try:
            register_detail.set_manager(world.buyer, row.id, outsider_id)
        except ValidationError as error:
            assert error.field == "manager_id"
        else:
            raise AssertionError("a manager outside the buying organisation was accepted")
    for reader in (world.staff, world.supplier_user):
        with pytest.raises(PermissionDeniedError):
            register_detail.set_manager(reader, row.id, None)
    register_detail.set_manager(world.buyer, row.id, None)
    assert db.session.get(CallOffContract, row.id).contract_manager_id is None


def test_the_detail_shows_documents_notices_and_history_by_reader():
    world = awarded_competition(ready_to_sign=True)
    _signed(world)
    [row] = db.session.scalars(select(CallOffContract)).all()
    buyer_view = register_detail.detail(world.buyer, row.id)
    assert [d.version for d in buyer_view.documents] == [2, 1] and buyer_view.can_set_manager
    assert {n.notice_type for n in buyer_view.notices} == {"UK6"}
    kinds = [e.event_type for e in buyer_view.history]
    assert "contract.registered" in kinds and "contract.signed_by_party" in kinds
    assert any(e.object_type == "competition" for e in buyer_view.history)
    ids = [e.id for e in buyer_view.history]
    assert ids == sorted(ids)
    supplier_view = register_detail.detail(world.supplier_user, row.id)
    assert not supplier_view.can_set_manager
    assert all(e.object_type != "competition" for e in supplier_view.history)  # no evaluation history
    assert "contract.registered" in [e.event_type for e in supplier_view.history]


def test_pages_and_exports(client, auth):
    world = awarded_competition(ready_to_sign=True)
    _signed(world)
    [row] = db.session.scalars(select(CallOffContract)).all()
    row.title = "=cmd|' /C calc'!A0"
    db.session.commit()
    assert auth.login(world.buyer.email).status_code == 302
    page = client.get("/contracts/register")
    assert page.status_code == 200 and row.reference in page.text and "Not started" in page.text
    assert client.get("/contracts/register?start_from=2027-02-30").status_code == 200  # an error, never a 500
    assert "must be a real date" in client.get("/contracts/register?start_from=nonsense").text
    assert row.reference not in client.get("/contracts/register?q=zzzz-nothing").text
    show = client.get(f"/contracts/register/{row.id}")
    assert show.status_code == 200 and world.winner.legal_name in show.text and "Save contract manager" in show.text
    response = client.get("/contracts/register.csv?q=" + row.reference)
    assert response.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in response.headers["Content-Disposition"]
    [header, line] = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    values = dict(zip(header, line, strict=True))
    assert values["Reference"] == row.reference and values["Title"] == "'" + row.title
    assert values["Status"] == "Not started" and values["Start date"] == "2027-04-01"
    assert values["Value excluding VAT"] == f"{row.value_pence / 100:.2f}"
    xlsx = client.get("/contracts/register.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.freeze_panes == "A2" and all(c.font.bold for c in sheet[1])
    cells = {h.value: c for h, c in zip(sheet[1], sheet[2], strict=True)}
    assert cells["Title"].value == "'" + row.title
    assert cells["Value including VAT"].number_format == '"£"#,##0.00' and cells["Value including VAT"].data_type == "n"
    assert cells["Start date"].is_date and cells["Start date"].value.date() == START_ON
    response = client.post(f"/contracts/register/{row.id}/manager", data={"manager_id": str(world.other_buyer.id)})
    assert response.status_code == 400 and "There is a problem" in response.text
    response = client.post(f"/contracts/register/{row.id}/manager", data={"manager_id": "²"})
    assert response.status_code == 400  # not a user's id: refused, never read as "nobody"
    response = client.post(f"/contracts/register/{row.id}/manager", data={"manager_id": str(world.approver.id)})
    assert response.status_code == 302 and db.session.get(CallOffContract, row.id).contract_manager_id
    auth.logout()
    assert auth.login(world.other_buyer.email).status_code == 302
    assert client.get(f"/contracts/register/{row.id}").status_code == 404
    assert row.reference not in client.get("/contracts/register.csv").get_data(as_text=True)
