"""The links emails carry: absolute and always on BASE_URL, which production requires; never on the request's host,
which the client chooses."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.config import ConfigurationError, load_config
from portal.extensions import db
from portal.models import OutboxMessage
from portal.services import mail
from tests.factories import make_user


def test_a_link_uses_base_url_inside_a_request_or_not(app, monkeypatch):
    monkeypatch.setitem(app.config, "BASE_URL", "https://portal.example.gov.uk/")
    with app.test_request_context(base_url="http://internal:8000"):
        assert mail.link_for("auth.reset_password", token="abc") == "https://portal.example.gov.uk/reset-password/abc"
    assert mail.link_for("auth.reset_password", token="abc") == "https://portal.example.gov.uk/reset-password/abc"


def test_a_forged_host_header_never_reaches_a_reset_link(app, client):
    # The portal as configured, with no BASE_URL override: the default must not fall back to the request's host.
    make_user("buyer", email="victim@example.test")
    db.session.commit()
    client.post("/forgot-password", data={"email": "victim@example.test"}, headers={"Host": "evil.example"})
    message = db.session.scalar(select(OutboxMessage).where(OutboxMessage.recipient == "victim@example.test"))
    assert "evil.example" not in message.body
    links = re.findall(r"https?://\S+", message.body)
    assert links and all(link.startswith(app.config["BASE_URL"] + "/reset-password/") for link in links)


def test_development_links_point_at_the_development_server(monkeypatch):
    monkeypatch.delenv("BASE_URL", raising=False)
    monkeypatch.delenv("PORTAL_ENV", raising=False)
    monkeypatch.setenv("PORT", "8000")
    monkeypatch.setenv("SECRET_KEY", "x")
    assert load_config()["BASE_URL"] == "http://127.0.0.1:8000"


def test_production_refuses_to_start_without_an_https_base_url(monkeypatch):
    monkeypatch.setenv("PORTAL_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "k" * 64)
    monkeypatch.setenv("AUDIT_KEY", "a" * 64)  # production needs it too (test_audit_keyed.py)
    monkeypatch.setenv("SEAL_MASTER_KEY", "5" * 64)  # production needs it too (test_bid_encryption.py)
    monkeypatch.delenv("BASE_URL", raising=False)
    with pytest.raises(ConfigurationError, match="BASE_URL"):
        load_config()
    monkeypatch.setenv("BASE_URL", "http://portal.example.org")
    with pytest.raises(ConfigurationError, match="https"):
        load_config()
    monkeypatch.setenv("BASE_URL", "https://portal.example.org/")
    assert load_config()["BASE_URL"] == "https://portal.example.org"


@pytest.mark.parametrize("bad", ["portal.example.org", "ftp://portal.example.org", "https://x.example/?a=1"])
def test_a_base_url_that_is_not_an_http_address_is_refused(monkeypatch, bad):
    monkeypatch.setenv("BASE_URL", bad)
    monkeypatch.setenv("SECRET_KEY", "x")
    with pytest.raises(ConfigurationError):
        load_config()
