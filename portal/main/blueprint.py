"""The blueprint of the start page, dashboards and the site's own pages."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("main", __name__)
