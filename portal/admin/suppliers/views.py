"""Framework staff: suppliers, lot memberships, price cards, accreditations and exclusions.

This module holds the supplier list and profile pages; lots and prices are in lots_views.py,
accreditations, exclusions and users in records_views.py. All share the one blueprint.
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user

from portal.access import roles
from portal.admin.suppliers.forms import SupplierForm
from portal.domain.roles import Role
from portal.domain.timefmt import today_london
from portal.domain.whole_numbers import page_number
from portal.forms_common import attach_error
from portal.services.errors import ConflictError, ValidationError
from portal.services.suppliers import evidence, price_cards, profiles

from .blueprint import bp

PER_PAGE = 25


@bp.route("/")
@roles(Role.STAFF)
def index():
    query = request.args.get("q", "").strip()[:200]
    page = page_number(request.args.get("page"))
    rows, total = profiles.search_suppliers(query, today_london(), page=page, per_page=PER_PAGE)
    return render_template(
        "admin/suppliers/index.html",
        rows=rows,
        total=total,
        query=query,
        page=page,
        pages=max((total + PER_PAGE - 1) // PER_PAGE, 1),
        summary=profiles.status_summary(today_london()),
    )


@bp.route("/new", methods=["GET", "POST"])
@roles(Role.STAFF)
def new():
    form = SupplierForm()
    if form.validate_on_submit():
        try:
            supplier = profiles.create_supplier(current_user, form.values())
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "legal_name")
        else:
            flash(f"{supplier.legal_name} added", "success")
            return redirect(url_for(".show", supplier_id=supplier.id))
    return render_template("admin/suppliers/supplier_form.html", form=form, supplier=None)


@bp.route("/<int:supplier_id>")
@roles(Role.STAFF)
def show(supplier_id: int):
    supplier = profiles.get_supplier(supplier_id)
    today = today_london()
    return render_template(
        "admin/suppliers/show.html",
        supplier=supplier,
        today=today,
        lot_claims=evidence.claims_by_lot(current_user, supplier),
        users=profiles.supplier_users(supplier),
        excluded=supplier.excluded_on(today),
        price_cards=[(m, price_cards.price_card(supplier, m.lot, today)) for m in evidence.memberships_of(supplier)],
    )


@bp.route("/<int:supplier_id>/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def edit(supplier_id: int):
    supplier = profiles.get_supplier(supplier_id)
    form = SupplierForm(obj=supplier)
    if request.method == "GET":
        form.sme.data = "yes" if supplier.sme else "no"
    if form.validate_on_submit():
        try:
            changed = profiles.update_supplier(current_user, supplier, form.values())
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "legal_name")
        else:
            flash("Supplier details saved" if changed else "No changes to save", "success")
            return redirect(url_for(".show", supplier_id=supplier.id))
    return render_template("admin/suppliers/supplier_form.html", form=form, supplier=supplier)
