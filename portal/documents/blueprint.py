"""The documents blueprint: downloads and the public authenticity check."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("documents", __name__, url_prefix="/documents")
