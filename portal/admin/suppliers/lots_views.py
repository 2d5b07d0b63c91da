"""Framework staff: a supplier's lot memberships, capability evidence and price cards."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms.fields.choices import SelectChoice

from portal.access import roles
from portal.admin.suppliers.forms import (
    AddToLotForm,
    PricesOnForm,
    RankingForm,
    ReinstateForm,
    RemoveForm,
    SuspendForm,
    price_card_form,
)
from portal.domain.roles import Role
from portal.domain.timefmt import today_london
from portal.forms_common import attach_error
from portal.services.direct_awards import settings
from portal.services.errors import ConflictError, ValidationError
from portal.services.suppliers import evidence as supplier_evidence
from portal.services.suppliers import lot_membership, price_cards, profiles
from portal.supplier.forms import EvidenceForm

from .blueprint import bp


def _back(supplier_id: int, anchor: str = "lots"):
    return redirect(url_for(".show", supplier_id=supplier_id, _anchor=anchor))


@bp.route("/<int:supplier_id>/lots/add", methods=["GET", "POST"])
@roles(Role.STAFF)
def add_to_lot(supplier_id: int):
    supplier = profiles.get_supplier(supplier_id)
    form = AddToLotForm()
    form.lot_id.choices = [SelectChoice("", "Select a lot")] + [
        SelectChoice(lot.id, f"{lot.framework.reference} {lot.label}") for lot in lot_membership.lots_to_join(supplier)
    ]
    if form.validate_on_submit():
        try:
            membership = lot_membership.add_to_lot(current_user, supplier, form.lot_id.data, form.joined_on.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "lot_id")
        else:
            flash(f"{supplier.short_name} added to {membership.lot.label}", "success")
            return _back(supplier.id)
    return render_template("admin/suppliers/add_to_lot.html", form=form, supplier=supplier)


# One page per status change: suspend, reinstate and remove ask different questions.
_STATUS_CHANGES: dict[str, tuple[type[FlaskForm], str, str]] = {
    "suspend": (SuspendForm, "Suspend {name} from {lot}", "{name} suspended from {lot}"),
    "reinstate": (ReinstateForm, "Reinstate {name} on {lot}", "{name} reinstated on {lot}"),
    "remove": (RemoveForm, "Remove {name} from {lot}", "{name} removed from {lot}"),
}


def _change_membership(supplier_id: int, membership_id: int, action: str):
    supplier = profiles.get_supplier(supplier_id)
    membership = lot_membership.get_membership(supplier, membership_id)
    form_class, title, done = _STATUS_CHANGES[action]
    names = {"name": supplier.short_name, "lot": membership.lot.label}
    form = form_class()
    if form.validate_on_submit():
        args = [current_user, membership, form.reason.data]
        if action == "remove":
            args.append(form.left_on.data)
        try:
            getattr(lot_membership, action)(*args)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "reason")
        else:
            flash(done.format(**names), "success")
            return _back(supplier.id)
    return render_template(
        "admin/suppliers/membership_change.html",
        form=form,
        supplier=supplier,
        membership=membership,
        title=title.format(**names),
        action=action,
    )


@bp.route("/<int:supplier_id>/memberships/<int:membership_id>/suspend", methods=["GET", "POST"])
@roles(Role.STAFF)
def suspend(supplier_id: int, membership_id: int):
    return _change_membership(supplier_id, membership_id, "suspend")


@bp.route("/<int:supplier_id>/memberships/<int:membership_id>/reinstate", methods=["GET", "POST"])
@roles(Role.STAFF)
def reinstate(supplier_id: int, membership_id: int):
    return _change_membership(supplier_id, membership_id, "reinstate")


@bp.route("/<int:supplier_id>/memberships/<int:membership_id>/remove", methods=["GET", "POST"])
@roles(Role.STAFF)
def remove(supplier_id: int, membership_id: int):
    return _change_membership(supplier_id, membership_id, "remove")


@bp.route("/<int:supplier_id>/memberships/<int:membership_id>/ranking", methods=["GET", "POST"])
@roles(Role.STAFF)
def ranking(supplier_id: int, membership_id: int):
    supplier = profiles.get_supplier(supplier_id)
    membership = lot_membership.get_membership(supplier, membership_id)
    form = RankingForm(data={"framework_ranking": membership.framework_ranking})
    if form.validate_on_submit():
        try:
            settings.set_ranking(current_user, membership, form.framework_ranking.data)
        except (ValidationError, ConflictError) as error:
            attach_error(form, error, "framework_ranking")
        else:
            flash(f"Framework ranking saved for {supplier.short_name} on {membership.lot.label}", "success")
            return _back(supplier.id)
    return render_template("admin/suppliers/ranking.html", form=form, supplier=supplier, membership=membership)


@bp.route("/<int:supplier_id>/capabilities/<int:capability_id>/evidence", methods=["GET", "POST"])
@roles(Role.STAFF)
def evidence(supplier_id: int, capability_id: int):
    supplier = profiles.get_supplier(supplier_id)
    capability, claim = supplier_evidence.claimable_capability(current_user, supplier, capability_id)
    form = EvidenceForm(obj=claim)
    if form.validate_on_submit():
        try:
            supplier_evidence.save_claim(current_user, supplier, capability.id, form.evidence.data)
        except ValidationError as error:
            attach_error(form, error, "evidence")
        else:
            flash(f"Evidence for '{capability.name}' saved", "success")
            return _back(supplier.id, "capabilities")
    return render_template(
        "admin/suppliers/evidence.html",
        form=form,
        supplier=supplier,
        capability=capability,
        claim=claim,
        max_chars=supplier_evidence.EVIDENCE_MAX_CHARACTERS,
    )


@bp.route("/<int:supplier_id>/lots/<int:lot_id>/prices")
@roles(Role.STAFF)
def prices(supplier_id: int, lot_id: int):
    supplier = profiles.get_supplier(supplier_id)
    membership = price_cards.membership_on_lot(supplier, lot_id)
    form = PricesOnForm(formdata=request.args)
    on = form.on.data if form.validate() else None
    today = today_london()
    return render_template(
        "admin/suppliers/prices.html",
        supplier=supplier,
        lot=membership.lot,
        membership=membership,
        lines=price_cards.price_card(supplier, membership.lot, on or today),
        form=form,
        on=on,
        today=today,
    )


@bp.route("/<int:supplier_id>/lots/<int:lot_id>/prices/new", methods=["GET", "POST"])
@roles(Role.STAFF)
def add_prices(supplier_id: int, lot_id: int):
    supplier = profiles.get_supplier(supplier_id)
    lot = price_cards.membership_on_lot(supplier, lot_id).lot
    form = price_card_form(lot.price_items)
    today = today_london()
    if form.validate_on_submit():
        try:
            added = price_cards.add_prices(current_user, supplier, lot, form.effective_from.data, form.prices(), today)
        except ValidationError as error:
            attach_error(form, error, "effective_from")
        else:
            flash(f"{len(added)} new price{'s' if len(added) != 1 else ''} added to the price card", "success")
            return redirect(url_for(".prices", supplier_id=supplier.id, lot_id=lot.id))
    lines = price_cards.price_card(supplier, lot, today)
    return render_template("admin/suppliers/add_prices.html", form=form, supplier=supplier, lot=lot, lines=lines)
