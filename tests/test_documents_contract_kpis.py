"""KPIs the buyer sets at award: the forms, their GOV.UK errors, when they may change, audit and isolation."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, CallOffKpi
from portal.services.contracts import kpis
from portal.services.contracts.kpis import KpiInput
from portal.services.errors import ConflictError, NotFoundError
from tests.contract_support import approved_direct_award, awarded_competition
from tests.test_award_services import recommended_world

GOOD = {"title": "Platform availability", "measure": "Minutes available in the month", "target": "99.9 %"}


def _events(event_type: str) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.event_type == event_type)))


def test_adding_a_kpi_with_missing_answers_shows_each_error_and_keeps_the_answers(client, auth):
    world = awarded_competition()
    auth.login(world.buyer.email)
    url = f"/contracts/competitions/{world.id}/kpis"
    response = client.post(url, data={"title": "Response time", "measure": "", "target": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "<title>Error:" in page and "govuk-error-summary" in page
    assert "Enter how the KPI is measured" in page and "Enter the KPI&#39;s target" in page
    assert 'href="#measure"' in page and 'value="Response time"' in page
    response = client.post(url, data={"title": "x" * 201, **{k: v for k, v in GOOD.items() if k != "title"}})
    assert "Title must be 200 characters or fewer" in response.get_data(as_text=True)
    assert db.session.scalar(select(CallOffKpi)) is None
    response = client.post(url, data=GOOD)
    assert response.status_code == 302 and response.headers["Location"].endswith(url)
    page = client.get(url).get_data(as_text=True)
    assert "KPI added: Platform availability" in page and "99.9 %" in page
    [event] = _events("call_off.kpi_added")
    assert event.object_type == "competition" and json.loads(event.after_json)["target"] == "99.9 %"


def test_changing_and_removing_a_kpi_is_audited_with_before_and_after(client, auth):
    world = approved_direct_award()
    kpi = kpis.add(world.buyer, "direct_award", world.id, KpiInput(**GOOD))
    auth.login(world.approver.email)
    url = f"/contracts/direct-awards/{world.id}/kpis/{kpi.id}"
    response = client.post(url, data=GOOD | {"target": ""})
    assert "Enter the KPI&#39;s target" in response.get_data(as_text=True)
    response = client.post(url, data=GOOD | {"target": "99.95 %"})
    assert response.status_code == 302
    [changed] = _events("call_off.kpi_changed")
    assert json.loads(changed.before_json) == {"target": "99.9 %"}
    assert json.loads(changed.after_json) == {"kpi_id": kpi.id, "target": "99.95 %"}
    assert "Remove the KPI" in client.get(f"{url}/remove").get_data(as_text=True)
    assert client.post(f"{url}/remove").status_code == 302
    assert db.session.get(CallOffKpi, kpi.id) is None
    assert json.loads(_events("call_off.kpi_removed")[0].before_json)["title"] == "Platform availability"


def test_kpis_wait_for_approval():
    world = recommended_world()
    with pytest.raises(ConflictError, match="once the award has been approved"):
        kpis.add(world.buyer, "competition", world.competition.id, KpiInput(**GOOD))


def test_kpi_page_before_approval_explains_and_refuses(client, auth):
    world = recommended_world()
    auth.login(world.buyer.email)
    url = f"/contracts/competitions/{world.competition.id}/kpis"
    page = client.get(url).get_data(as_text=True)
    assert "KPIs can be set once the award has been approved" in page and "Add a KPI" not in page
    response = client.post(url, data=GOOD)
    assert response.status_code == 200 and "once the award has been approved" in response.get_data(as_text=True)


def test_other_organisations_and_suppliers_cannot_touch_kpis(client, auth):
    world = awarded_competition()
    kpi = kpis.add(world.buyer, "competition", world.id, KpiInput(**GOOD))
    with pytest.raises(NotFoundError):
        kpis.update(world.other_buyer, "competition", world.id, kpi.id, KpiInput(**GOOD))
    other = awarded_competition()
    with pytest.raises(NotFoundError):  # a KPI of another call-off through this one's URL
        kpis.remove(other.buyer, "competition", other.id, kpi.id)
    auth.login(world.supplier_user.email)
    assert client.get(f"/contracts/competitions/{world.id}/kpis").status_code == 403
    auth.logout()
    auth.login(world.other_buyer.email)
    assert client.get(f"/contracts/competitions/{world.id}/kpis").status_code == 404
