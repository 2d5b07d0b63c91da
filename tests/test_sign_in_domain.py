"""The pure rules of signing in (portal/domain/sign_in.py) and the sealing of authenticator secrets."""

from __future__ import annotations

import pytest

from portal.domain.sign_in import (
    RECOVERY_CODE_COUNT,
    is_recovery_shape,
    is_totp_shape,
    new_recovery_codes,
    normalise_code,
    two_factor_required,
)
from portal.services.people.secret_box import SecretUnreadable, open_sealed, seal


def test_recovery_codes_are_ten_distinct_codes_of_unambiguous_characters():
    codes = new_recovery_codes()
    assert len(codes) == len(set(codes)) == RECOVERY_CODE_COUNT
    for code in codes:
        assert len(code) == 11 and code[5] == "-"
        assert is_recovery_shape(normalise_code(code))
        assert not set(code) & set("01ilo")


@pytest.mark.parametrize(
    ("typed", "normal"),
    [(" 123 456 ", "123456"), ("ABCDE-FGHJK", "abcdefghjk"), ("abcde fghjk", "abcdefghjk"), (None, "")],
)
def test_codes_are_compared_without_spaces_hyphens_or_case(typed, normal):
    assert normalise_code(typed) == normal


SHAPES = [
    ("123456", True, False),
    ("12345", False, False),
    ("\u0661\u0662\u0663\u0664\u0665\u0666", False, False),  # Arabic-Indic digits are digits, but not ASCII
    ("abcdefghjk", False, True),
    ("abcdefghj0", False, False),
]


@pytest.mark.parametrize(("code", "totp", "recovery"), SHAPES)
def test_a_code_is_told_apart_by_its_shape(code, totp, recovery):
    assert is_totp_shape(code) is totp and is_recovery_shape(code) is recovery


@pytest.mark.parametrize(
    ("role", "required", "expected"),
    [("buyer", {"staff", "buyer"}, True), ("supplier", {"staff", "buyer"}, False), ("staff", set(), False)],
)
def test_two_factors_are_required_of_the_configured_roles_only(role, required, expected):
    assert two_factor_required(role, required) is expected


def test_a_sealed_secret_opens_only_for_its_own_user_and_key(app, monkeypatch):
    sealed = seal("JBSWY3DPEHPK3PXP", owner_id=7)
    assert "JBSWY3DPEHPK3PXP" not in sealed
    assert open_sealed(sealed, owner_id=7) == "JBSWY3DPEHPK3PXP"
    with pytest.raises(SecretUnreadable):
        open_sealed(sealed, owner_id=8)  # copied onto another account's row
    monkeypatch.setitem(app.config, "SECRET_KEY", "another key")
    with pytest.raises(SecretUnreadable):
        open_sealed(sealed, owner_id=7)
