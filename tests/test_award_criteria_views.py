"""View tests for framework staff's award criteria pages."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import AwardCriterionGroup
from portal.services.frameworks import award_criteria
from tests.test_competition_builder_support import start, world


@pytest.fixture
def w():
    return world()


def signed_in(auth, user):
    assert auth.login(user.email).status_code == 302


def test_staff_see_and_add_groups_and_criteria(client, auth, w):
    signed_in(auth, w.staff)
    base = f"/admin/frameworks/lots/{w.lot.id}/award-criteria"
    page = client.get(base).get_data(as_text=True)
    assert "Quality: 50 to 70 %" in page and "Critical incident content control" in page
    bad = client.post(base + "/groups/new", data={"name": "Innovation", "kind": "quality", "min_weight": "x"})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "There is a problem" in text and 'value="Innovation"' in text
    assert "Enter the maximum weight" in text
    bad = client.post(
        base + "/groups/new", data={"name": "Innovation", "kind": "quality", "min_weight": "x", "max_weight": "5"}
    )
    assert "Minimum weight must be a number" in bad.get_data(as_text=True)
    ok = client.post(
        base + "/groups/new", data={"name": "Innovation", "kind": "quality", "min_weight": "0", "max_weight": "5"}
    )
    assert ok.status_code == 302
    group = db.session.query(AwardCriterionGroup).filter_by(name="Innovation").one()
    response = client.post(
        f"/admin/frameworks/award-criteria/groups/{group.id}/criteria/new",
        data={"title": "New ideas", "question": "What is new?", "kind": "quality"},
    )
    assert response.status_code == 302 and [c.title for c in group.criteria] == ["New ideas"]
    assert client.post(f"/admin/frameworks/award-criteria/groups/{group.id}/criteria/new", data={}).status_code == 200


def test_removal_refused_once_used(client, auth, w):
    start(w)
    quality = next(g for g in award_criteria.groups_for(w.lot) if g.name == "Quality")
    signed_in(auth, w.staff)
    page = client.get(f"/admin/frameworks/award-criteria/groups/{quality.id}/remove").get_data(as_text=True)
    assert "competitions already use it" in page
    response = client.post(f"/admin/frameworks/award-criteria/groups/{quality.id}/remove")
    assert response.status_code == 200 and db.session.get(AwardCriterionGroup, quality.id) is not None


def test_remove_unused_group(client, auth, w):
    social = next(g for g in award_criteria.groups_for(w.lot) if g.name == "Social value")
    signed_in(auth, w.staff)
    response = client.post(f"/admin/frameworks/award-criteria/groups/{social.id}/remove")
    assert response.status_code == 302 and db.session.get(AwardCriterionGroup, social.id) is None


def test_edit_group_keeps_values_on_error(client, auth, w):
    quality = next(g for g in award_criteria.groups_for(w.lot) if g.name == "Quality")
    signed_in(auth, w.staff)
    edit = f"/admin/frameworks/award-criteria/groups/{quality.id}/edit"
    assert 'value="50"' in client.get(edit).get_data(as_text=True)
    page = client.post(edit, data={"name": "Quality", "kind": "quality", "min_weight": "70", "max_weight": "60"})
    assert "Maximum weight must be the same as or more than the minimum weight" in page.get_data(as_text=True)


@pytest.mark.parametrize("persona", ["buyer", "supplier"])
def test_other_roles_refused(client, auth, w, persona):
    signed_in(auth, w.buyer if persona == "buyer" else w.supplier_users[0])
    assert client.get(f"/admin/frameworks/lots/{w.lot.id}/award-criteria").status_code == 403
