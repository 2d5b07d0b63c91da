"""The auth blueprint: sign-in, sign-out, invitations and password resets."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("auth", __name__)
