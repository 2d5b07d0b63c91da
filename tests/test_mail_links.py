"""The links emails carry: absolute, on BASE_URL when it is set, else on the host the request came in on."""

from __future__ import annotations

from portal.services import mail


def test_a_link_uses_base_url_when_set_inside_a_request_or_not(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://portal.example.gov.uk/")
    with app.test_request_context(base_url="http://internal:8000"):
        assert mail.link_for("auth.reset_password", token="abc") == "https://portal.example.gov.uk/reset-password/abc"
    assert mail.link_for("auth.reset_password", token="abc") == "https://portal.example.gov.uk/reset-password/abc"


def test_without_base_url_a_link_follows_the_request_host(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "")
    with app.test_request_context(base_url="https://buyers.example.org"):
        assert mail.link_for("evaluation.outcome", competition_id=7).startswith("https://buyers.example.org/")


def test_outside_a_request_without_base_url_a_link_points_at_the_development_server(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "")
    assert mail.link_for("auth.reset_password", token="abc") == "http://127.0.0.1:5000/reset-password/abc"
