"""The notifications blueprint: a person's notifications list, settings and the one-click unsubscribe."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
