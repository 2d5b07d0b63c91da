"""Buyer side of mini-competitions: the task-list builder, review and publish, deadline extension, cancel."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("competitions", __name__, url_prefix="/competitions")
