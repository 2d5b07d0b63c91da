"""Direct awards, step 7: the supplier's list of awards made to it, each award's page, and accepting it."""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_login import current_user

from portal.access import roles
from portal.direct_awards.forms import AcceptForm
from portal.domain.roles import Role
from portal.forms_common import attach_error
from portal.services.direct_awards import decisions
from portal.services.direct_awards import shortlist as shortlists
from portal.services.errors import ConflictError
from portal.services.notices import standstill

from .blueprint import bp


@bp.route("/supplier")
@roles(Role.SUPPLIER)
def supplier_awards():
    return render_template("direct_awards/supplier_index.html", awards=decisions.supplier_awards(current_user))


@bp.route("/supplier/<int:direct_award_id>", methods=["GET", "POST"])
@roles(Role.SUPPLIER)
def supplier_award(direct_award_id: int):
    award = decisions.get_for_supplier(current_user, direct_award_id)
    form = AcceptForm()
    if form.validate_on_submit():
        try:
            decisions.accept(current_user, award.id)
        except ConflictError as error:
            attach_error(form, error)
        else:
            flash(f"You have accepted direct award {award.reference}", "success")
            return redirect(url_for(".supplier_award", direct_award_id=award.id))
    frozen = next(s for s in award.shortlists if s.id == award.recommended_shortlist_id)
    content = shortlists.content_of(frozen)
    return render_template(
        "direct_awards/supplier_award.html",
        award=award,
        form=form,
        line=shortlists.supplier_in(content, award.recommended_supplier_id),
        content=content,
        standstill_info=standstill.summary(award),
    )
