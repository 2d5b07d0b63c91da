"""Clarification questions (suppliers ask) and answers (buyers publish to all or answer privately)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("clarifications", __name__)
