"""Catalogue: browse frameworks, lots and suppliers; search; compare."""

from __future__ import annotations

from flask import current_app, render_template, request

from portal.access import signed_in
from portal.catalogue.forms import CompareForm, SearchForm, parse_ids
from portal.domain.timefmt import today_london
from portal.forms_common import parse_page
from portal.services.catalogue import browse
from portal.services.catalogue import compare as catalogue_compare
from portal.services.catalogue import search as catalogue
from portal.services.errors import ValidationError

from .blueprint import bp


@bp.route("/")
@signed_in
def index():
    return render_template("catalogue/index.html", frameworks=browse.frameworks(today_london()))


@bp.route("/frameworks/<int:framework_id>")
@signed_in
def framework(framework_id: int):
    page = browse.framework_page(framework_id, today_london())
    return render_template("catalogue/framework.html", page=page)


@bp.route("/lots/<int:lot_id>")
@signed_in
def lot(lot_id: int):
    page = browse.lot_page(
        lot_id, today_london(), parse_page(request.args.get("page")), current_app.config["CATALOGUE_PAGE_SIZE"]
    )
    return render_template("catalogue/lot.html", page=page)


@bp.route("/suppliers/<int:supplier_id>")
@signed_in
def supplier(supplier_id: int):
    profile = browse.supplier_profile(supplier_id, today_london())
    return render_template("catalogue/supplier.html", profile=profile)


@bp.route("/search")
@signed_in
def search():
    form = SearchForm(formdata=request.args)
    framework_id, lot_id = _first_id("framework_id"), _first_id("lot_id")
    form.offer(catalogue.filter_options(framework_id, lot_id))
    if request.args:
        form.validate()
    result = catalogue.search(form.params(parse_page(request.args.get("page"))), today_london())
    form.show_counts(result.facets)
    return render_template("catalogue/search.html", form=form, result=result)


@bp.route("/compare")
@signed_in
def compare():
    ids, malformed = parse_ids(request.args.getlist("supplier_id"))
    lot = catalogue_compare.find_lot(_first_id("lot_id"))
    today = today_london()
    candidates = catalogue_compare.candidates(ids, lot, today)
    form = CompareForm(formdata=request.args)
    form.supplier_id.choices = [(str(c.supplier.id), c.supplier.short_name) for c in candidates if c.selectable]
    form.validate()
    comparison = None
    if malformed:
        form.supplier_id.errors.append("One of the chosen suppliers was not found. Choose suppliers again")
    elif request.args.getlist("supplier_id"):
        try:
            comparison = catalogue_compare.compare(ids, lot, today)
        except ValidationError as error:
            form.supplier_id.errors.append(error.message)
    return render_template("catalogue/compare.html", form=form, comparison=comparison, lot=lot, candidates=candidates)


def _first_id(name: str) -> int | None:
    ids, _ = parse_ids(request.args.getlist(name)[:1])
    return ids[0] if ids else None
