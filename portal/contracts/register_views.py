"""The contract register pages: the list with filters, search and exports, and one contract's summary.

Buyers' procurement officers see their organisation's contracts, suppliers their own, framework staff all
(portal/services/contracts/register.py decides; a contract outside the user's view is a 404).
"""

from __future__ import annotations

from datetime import date

from flask import Response, flash, redirect, render_template, request, stream_with_context, url_for
from flask_login import current_user
from werkzeug.datastructures import MultiDict

from portal.access import roles
from portal.domain import contract_status
from portal.domain.contract_status import ContractStatus
from portal.domain.paging import page_of
from portal.domain.roles import PROCUREMENT_OFFICERS, Role
from portal.domain.timefmt import today_london
from portal.forms_common import parse_page
from portal.services import exports
from portal.services.contracts import register, register_detail
from portal.services.contracts.register_export import COLUMNS
from portal.services.errors import ValidationError
from portal.services.notices.lifecycle import NOTICE_LABELS

from .blueprint import bp, contract_url
from .forms import ConfirmForm

READERS = (*PROCUREMENT_OFFICERS, Role.SUPPLIER, Role.STAFF)
PER_PAGE = 25


def _id(args: MultiDict, name: str) -> int | None:
    value = (args.get(name) or "").strip()
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _date(args: MultiDict, name: str, label: str, errors: dict[str, str]) -> date | None:
    value = (args.get(name) or "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        errors[name] = f"{label} must be a real date, for example 2027-04-01"
        return None


def _filters(args: MultiDict) -> tuple[register.Filters, dict[str, str]]:
    errors: dict[str, str] = {}
    filters = register.Filters(
        keyword=(args.get("q") or "").strip()[:200],
        status=contract_status.parse(args.get("status") or ""),
        framework_id=_id(args, "framework"),
        lot_id=_id(args, "lot"),
        buyer_organisation_id=_id(args, "buyer"),
        supplier_id=_id(args, "supplier"),
        start_from=_date(args, "start_from", "Starting on or after", errors),
        end_by=_date(args, "end_by", "Ending on or before", errors),
    )
    return filters, errors


@bp.route("/register")
@roles(READERS)
def register_index():
    filters, errors = _filters(request.args)
    rows = register.rows(current_user, filters)
    page = page_of(rows, parse_page(request.args.get("page")), PER_PAGE)
    return render_template(
        "contracts/register.html",
        page=page,
        filters=filters,
        errors=errors,
        args=request.args,
        choices=register.choices(current_user),
        statuses=list(ContractStatus),
    )


@bp.route("/register.csv")
@roles(READERS)
def register_csv():
    filters, _ = _filters(request.args)
    rows = register.rows(current_user, filters)
    name = exports.filename("contract-register", "csv", today_london())
    return Response(
        stream_with_context(exports.csv_lines(COLUMNS, rows)),
        mimetype=exports.CSV_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/register.xlsx")
@roles(READERS)
def register_xlsx():
    filters, _ = _filters(request.args)
    rows = register.rows(current_user, filters)
    name = exports.filename("contract-register", "xlsx", today_london())
    return Response(
        exports.xlsx_bytes(COLUMNS, rows, "Contract register"),
        mimetype=exports.XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@bp.route("/register/<int:contract_id>")
@roles(READERS)
def register_show(contract_id: int):
    detail = register_detail.detail(current_user, contract_id)
    return render_template(
        "contracts/register_show.html",
        detail=detail,
        contract=detail.contract,
        form=ConfirmForm(),
        manager_error=None,
        contract_url=contract_url,
        notice_labels=NOTICE_LABELS,
    )


def _manager_id(chosen: str) -> int | None:
    """None clears the manager; anything that is not a user's id is refused by the service (-1 names nobody)."""
    if not chosen:
        return None
    return int(chosen) if chosen.isascii() and chosen.isdigit() and len(chosen) < 10 else -1


@bp.route("/register/<int:contract_id>/manager", methods=["POST"])
@roles(PROCUREMENT_OFFICERS)
def register_set_manager(contract_id: int):
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("contracts.register_show", contract_id=contract_id))
    chosen = (request.form.get("manager_id") or "").strip()
    try:
        contract = register_detail.set_manager(current_user, contract_id, _manager_id(chosen))
    except ValidationError as error:
        detail = register_detail.detail(current_user, contract_id)
        page = render_template(
            "contracts/register_show.html",
            detail=detail,
            contract=detail.contract,
            form=form,
            manager_error=error.message,
            contract_url=contract_url,
            notice_labels=NOTICE_LABELS,
        )
        return page, 400
    manager = contract.contract_manager
    flash(f"Contract manager {'set to ' + manager.name if manager else 'cleared'}", "success")
    return redirect(url_for("contracts.register_show", contract_id=contract_id))
