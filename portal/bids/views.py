"""Supplier side of mini-competitions: invitations, bid or decline, drafts, submit, amend, withdraw, receipts."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("bids", __name__, url_prefix="/bids")
