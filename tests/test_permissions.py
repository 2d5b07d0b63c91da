"""The staff-only rule every staff service shares: framework staff pass, everyone else gets a 403 saying why."""

from __future__ import annotations

import pytest

from portal.domain.roles import Role
from portal.models import User
from portal.services.errors import PermissionDeniedError
from portal.services.permissions import require_staff


def test_framework_staff_pass():
    require_staff(User(role=Role.STAFF), "change frameworks")


@pytest.mark.parametrize("role", [r for r in Role if r is not Role.STAFF])
def test_every_other_role_is_refused_with_the_action_named(role):
    with pytest.raises(PermissionDeniedError, match=r"^Only framework staff can change frameworks\.$") as info:
        require_staff(User(role=role), "change frameworks")
    assert info.value.status_code == 403


def test_nobody_signed_in_is_refused_and_the_default_message_is_generic():
    with pytest.raises(PermissionDeniedError, match=r"^Only framework staff can do this\.$"):
        require_staff(None)
