"""Hand-made posts with a date sent as one, four or no values get a form error, never a server error."""

from __future__ import annotations

import pytest

from portal.extensions import db
from tests.factories import make_user


@pytest.mark.parametrize("value", [["1"], ["1", "2", "2024", "5"], []])
def test_framework_dates_survive_tampered_posts(client, auth, value):
    make_user("staff", email="staff@example.test")
    db.session.commit()
    auth.login("staff@example.test")
    response = client.post("/admin/frameworks/new", data={"start_on": value, "reference": "FW-X"})
    assert response.status_code == 200
    assert "There is a problem" in response.get_data(as_text=True)
    assert 'value="FW-X"' in response.get_data(as_text=True)
