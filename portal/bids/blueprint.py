"""The blueprint the supplier's bid views share, and small helpers they all use."""

from __future__ import annotations

from flask import Blueprint, redirect, url_for

bp = Blueprint("bids", __name__, url_prefix="/bids")


def to_competition(competition_id: int, anchor: str | None = "your-bid"):
    return redirect(url_for("bids.competition", competition_id=competition_id, _anchor=anchor))
