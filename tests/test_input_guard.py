"""Bad input is a 404 or a GOV.UK page, never a 500 (portal/input_guard.py): ids out of range, NUL characters,
odd page numbers, hostile `next=` links, and requests larger than the route takes."""

from __future__ import annotations

import io

import pytest
from flask import request, url_for

from portal.extensions import db
from portal.input_guard import clean_text
from tests.conftest import TEST_PASSWORD
from tests.factories import make_capability, make_claim, make_lot, make_membership, make_supplier, make_user


@pytest.fixture
def staff(auth):
    make_user("staff", email="staff@example.test")
    db.session.commit()
    assert auth.login("staff@example.test").status_code == 302


# --- ids in URLs -------------------------------------------------------------------------------


@pytest.mark.parametrize("number", [2**31, 2**63, 2**64, 10**30, 0])
def test_an_id_the_database_cannot_hold_is_page_not_found(client, staff, number):
    lot = make_lot()
    db.session.commit()
    assert client.get(f"/catalogue/lots/{lot.id}").status_code == 200
    response = client.get(f"/catalogue/lots/{number}")
    assert response.status_code == 404
    assert "Page not found" in response.get_data(as_text=True)


def test_ids_in_range_still_build_and_match(app):
    with app.test_request_context():
        assert url_for("catalogue.lot", lot_id=2**31 - 1) == f"/catalogue/lots/{2**31 - 1}"
    adapter = app.url_map.bind("localhost")
    assert adapter.match(f"/catalogue/lots/{2**31 - 1}")[1] == {"lot_id": 2**31 - 1}


def test_a_control_character_in_a_text_argument_matches_no_route(client):
    assert client.get("/frameworks/1/ocds/contracts/a%00b.pdf").status_code == 404


# --- NUL and control characters ----------------------------------------------------------------


def test_query_form_and_json_text_lose_nul_and_control_characters(app):
    with app.test_request_context("/?q=a%00b%07c&k%00ey=1", method="POST", data={"note": "x\x00y\r\nz\tw\x1b"}):
        assert request.args["q"] == "abc"
        assert request.args["key"] == "1"
        assert request.form["note"] == "xy\r\nz\tw"
        assert request.values["q"] == "abc"
    with app.test_request_context("/", method="POST", json={"t\x00": ["a\x00", {"b": "c\x00"}], "n": 5}):
        assert request.get_json() == {"t": ["a", {"b": "c"}], "n": 5}


def test_uploaded_files_pass_through_untouched(app):
    data = {"file": (io.BytesIO(b"\x00\x01binary"), "a.pdf"), "note": "n\x00"}
    with app.test_request_context("/", method="POST", data=data, content_type="multipart/form-data"):
        assert request.files["file"].read() == b"\x00\x01binary"
        assert request.form["note"] == "n"


def test_clean_text_keeps_line_breaks_and_unicode():
    assert clean_text("Line one\r\nLine two\t\u00e9\U0001f600") == "Line one\r\nLine two\t\u00e9\U0001f600"
    assert clean_text("\x00\x08\x0b\x0c\x0e\x1f\x7f") == ""


def test_nul_in_free_text_is_saved_without_it(client, staff):
    supplier = make_supplier()
    lot = make_lot()
    capability = make_capability(lot)
    make_membership(supplier, lot)
    claim = make_claim(supplier, capability)
    db.session.commit()
    response = client.post(
        f"/admin/suppliers/{supplier.id}/capabilities/{capability.id}/evidence",
        data={"evidence": "Case study\x00 attached"},
    )
    assert response.status_code == 302
    db.session.refresh(claim)
    assert claim.evidence == "Case study attached"


def test_nul_in_a_search_filter_is_a_normal_search(client, staff):
    response = client.get("/admin/suppliers/", query_string={"q": "a\x00b"})
    assert response.status_code == 200


# --- numbers in query strings and forms --------------------------------------------------------


@pytest.mark.parametrize("page", ["1" + "0" * 20, "-1", "abc", "\u00b2", "0", ""])
def test_odd_page_numbers_show_the_first_page(client, staff, page):
    for url in ("/admin/suppliers/", "/admin/users", "/catalogue/search"):
        assert client.get(url, query_string={"page": page}).status_code == 200, url


def test_a_number_too_large_for_the_database_is_a_form_error(client, staff):
    supplier = make_supplier()
    membership = make_membership(supplier, make_lot())
    db.session.commit()
    response = client.post(
        f"/admin/suppliers/{supplier.id}/memberships/{membership.id}/ranking",
        data={"framework_ranking": str(2**64)},
    )
    assert response.status_code == 200
    assert "Framework ranking must be a whole number, like 3" in response.get_data(as_text=True)


def test_an_event_id_too_large_is_a_form_error(client, staff):
    response = client.post("/admin/supplier-changes", data={"event_ids": str(2**64), "note": ""})
    assert response.status_code < 500


# --- next= after signing in --------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "//evil.example/x",
        "/\\evil.example",
        "\\\\evil.example",
        "/\t/evil.example",
        "/dashboard\r\nSet-Cookie: x=1",
        "/dashboard\nx",
        "https://evil.example/",
        "http:/evil.example",
        "/\x00/evil.example",
        "javascript:alert(1)",
        " /dashboard",
    ],
)
def test_only_same_site_paths_are_followed_after_sign_in(client, target):
    make_user("staff", email="s@example.test")
    db.session.commit()
    response = client.post(
        "/sign-in", query_string={"next": target}, data={"email": "s@example.test", "password": TEST_PASSWORD}
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/dashboard"


def test_a_same_site_path_is_followed_after_sign_in(client):
    make_user("staff", email="s@example.test")
    db.session.commit()
    response = client.post(
        "/sign-in",
        query_string={"next": "/admin/suppliers/?q=acme"},
        data={"email": "s@example.test", "password": TEST_PASSWORD},
    )
    assert response.headers["Location"] == "/admin/suppliers/?q=acme"


# --- request size --------------------------------------------------------------------------------


class _CountingStream:
    """A request body of `size` bytes that counts how much of it the app reads."""

    def __init__(self, size: int):
        self.size = size
        self.position = 0
        self.read_bytes = 0

    def tell(self) -> int:
        return self.position

    def seek(self, offset: int, whence: int = 0) -> int:
        self.position = self.size + offset if whence == 2 else offset
        return self.position

    def read(self, n: int = -1) -> bytes:
        left = self.size - self.position
        n = left if n is None or n < 0 else min(n, left)
        self.position += n
        self.read_bytes += n
        return b"a" * n

    def readline(self, n: int = -1) -> bytes:
        return self.read(n)


def _post(client, url: str, size: int):
    stream = _CountingStream(size)
    response = client.post(
        url,
        input_stream=stream,
        content_type="application/x-www-form-urlencoded",
    )
    return response, stream


def test_a_100_mb_anonymous_sign_in_is_refused_unread(client):
    response, stream = _post(client, "/sign-in", 100 * 1024 * 1024)
    assert response.status_code == 413
    assert stream.read_bytes == 0
    body = response.get_data(as_text=True)
    assert "govuk-heading-l" in body and "What you sent is too large" in body


def test_the_whole_request_limit_is_the_attachment_limit_plus_a_margin(app):
    assert app.config["MAX_CONTENT_LENGTH"] == app.config["MAX_ATTACHMENT_BYTES"] + app.config["REQUEST_MARGIN_BYTES"]


def test_forms_without_a_file_take_less_than_uploads(client, staff, app):
    over_public = app.config["PUBLIC_FORM_MAX_BYTES"] + 1
    assert _post(client, "/sign-in", over_public)[0].status_code in (302, 413)  # signed in: sent on, or refused
    response, stream = _post(client, "/admin/suppliers/new", app.config["FORM_MAX_BYTES"] + 1)
    assert response.status_code == 413 and stream.read_bytes == 0
    # A signed-in form under its own limit but over the public one is read as usual.
    assert _post(client, "/admin/suppliers/new", over_public)[0].status_code == 200


def test_an_upload_route_takes_a_body_larger_than_a_form(client, app, monkeypatch):
    supplier = make_supplier()
    make_user("supplier", email="bids@example.test", supplier=supplier)
    db.session.commit()
    client.post("/sign-in", data={"email": "bids@example.test", "password": TEST_PASSWORD})
    response, _ = _post(client, "/documents/check", app.config["FORM_MAX_BYTES"] + 1)
    assert response.status_code != 413
