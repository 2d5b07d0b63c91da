"""Framework staff: a framework's lots, and each lot's capabilities and price items.

Child objects are addressed by their own id (/capabilities/<capability_id>/edit), so a URL can
never pair a capability with the wrong lot.
"""

from __future__ import annotations

from flask import render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.admin.frameworks.forms import CapabilityForm, ConfirmForm, DirectAwardSettingsForm, LotForm, PriceItemForm
from portal.domain.roles import Role
from portal.services.direct_awards import settings
from portal.services.direct_awards.matching import tie_breaks_of
from portal.services.frameworks import editing, structure

from .blueprint import bp, save


def _lot_url(lot) -> str:
    return url_for(".lot", lot_id=lot.id)


@bp.route("/<int:framework_id>/lots/new", methods=["GET", "POST"])
@roles(Role.STAFF)
def lot_new(framework_id: int):
    framework = editing.get_framework(framework_id)
    form = LotForm()
    if not form.is_submitted():
        form.number.data = len(framework.lots) + 1
    done = save(
        form,
        lambda: structure.add_lot(current_user, framework, **form.values()),
        f"Lot {form.number.data} added",
        url_for(".show", framework_id=framework.id),
    )
    return done or render_template("admin/frameworks/lot_form.html", form=form, framework=framework, lot=None)


@bp.route("/lots/<int:lot_id>")
@roles(Role.STAFF)
def lot(lot_id: int):
    lot = structure.get_lot(lot_id)
    return render_template(
        "admin/frameworks/lot.html",
        lot=lot,
        framework=lot.framework,
        claims={c.id: structure.claim_count(c) for c in lot.capabilities},
        priced={p.id: structure.priced_count(p) for p in lot.price_items},
    )


@bp.route("/lots/<int:lot_id>/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def lot_edit(lot_id: int):
    lot = structure.get_lot(lot_id)
    form = LotForm(obj=lot)
    done = save(form, lambda: structure.update_lot(current_user, lot, **form.values()), "Lot updated", _lot_url(lot))
    return done or render_template("admin/frameworks/lot_form.html", form=form, framework=lot.framework, lot=lot)


@bp.route("/lots/<int:lot_id>/capabilities/new", methods=["GET", "POST"])
@roles(Role.STAFF)
def capability_new(lot_id: int):
    lot = structure.get_lot(lot_id)
    form = CapabilityForm()
    done = save(
        form,
        lambda: structure.add_capability(current_user, lot, **form.values()),
        f"Capability added: {form.name.data}",
        _lot_url(lot),
    )
    return done or render_template("admin/frameworks/capability_form.html", form=form, lot=lot, capability=None)


@bp.route("/capabilities/<int:capability_id>/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def capability_edit(capability_id: int):
    capability = structure.get_capability(capability_id)
    form = CapabilityForm(obj=capability)
    done = save(
        form,
        lambda: structure.update_capability(current_user, capability, **form.values()),
        "Capability updated",
        _lot_url(capability.lot),
    )
    return done or render_template(
        "admin/frameworks/capability_form.html", form=form, lot=capability.lot, capability=capability
    )


@bp.route("/capabilities/<int:capability_id>/remove", methods=["GET", "POST"])
@roles(Role.STAFF)
def capability_remove(capability_id: int):
    capability = structure.get_capability(capability_id)
    lot, name = capability.lot, capability.name
    form = ConfirmForm()
    done = save(
        form,
        lambda: structure.remove_capability(current_user, capability),
        f"Capability removed: {name}",
        _lot_url(lot),
    )
    return done or render_template(
        "admin/frameworks/remove.html",
        form=form,
        lot=lot,
        what="capability",
        name=name,
        problem=structure.capability_removal_problem(capability) if not form.errors else None,
        edit_url=url_for(".capability_edit", capability_id=capability.id),
    )


@bp.route("/lots/<int:lot_id>/price-items/new", methods=["GET", "POST"])
@roles(Role.STAFF)
def price_item_new(lot_id: int):
    lot = structure.get_lot(lot_id)
    form = PriceItemForm()
    done = save(
        form,
        lambda: structure.add_price_item(current_user, lot, **form.values()),
        f"Price item added: {form.name.data}",
        _lot_url(lot),
    )
    return done or render_template("admin/frameworks/price_item_form.html", form=form, lot=lot, item=None)


@bp.route("/price-items/<int:price_item_id>/edit", methods=["GET", "POST"])
@roles(Role.STAFF)
def price_item_edit(price_item_id: int):
    item = structure.get_price_item(price_item_id)
    form = PriceItemForm(obj=item)
    done = save(
        form,
        lambda: structure.update_price_item(current_user, item, **form.values()),
        "Price item updated",
        _lot_url(item.lot),
    )
    return done or render_template("admin/frameworks/price_item_form.html", form=form, lot=item.lot, item=item)


@bp.route("/price-items/<int:price_item_id>/remove", methods=["GET", "POST"])
@roles(Role.STAFF)
def price_item_remove(price_item_id: int):
    item = structure.get_price_item(price_item_id)
    lot, name = item.lot, item.name
    form = ConfirmForm()
    done = save(
        form, lambda: structure.remove_price_item(current_user, item), f"Price item removed: {name}", _lot_url(lot)
    )
    return done or render_template(
        "admin/frameworks/remove.html",
        form=form,
        lot=lot,
        what="price item",
        name=name,
        problem=structure.price_item_removal_problem(item) if not form.errors else None,
        edit_url=url_for(".price_item_edit", price_item_id=item.id),
    )


@bp.route("/lots/<int:lot_id>/direct-award", methods=["GET", "POST"])
@roles(Role.STAFF)
def lot_direct_award(lot_id: int):
    lot = structure.get_lot(lot_id)
    ties = [*tie_breaks_of(lot.direct_award_tie_break), "", ""]
    form = DirectAwardSettingsForm(
        data={
            "direct_award_allowed": "yes" if lot.direct_award_allowed else "no",
            "selection_mechanism": lot.selection_mechanism,
            "tie_break_first": ties[0],
            "tie_break_second": ties[1],
        }
    )
    done = save(
        form,
        lambda: settings.update_lot_settings(
            current_user, lot, form.direct_award_allowed.data == "yes", form.selection_mechanism.data,
            form.tie_breaks(),
        ),
        "Direct award settings saved",
        _lot_url(lot),
    )  # fmt: skip
    return done or render_template("admin/frameworks/lot_direct_award.html", form=form, lot=lot)
