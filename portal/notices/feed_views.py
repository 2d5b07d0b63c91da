"""The public, unauthenticated OCDS release package of a framework's published call-off notices (paginated)."""

from __future__ import annotations

import json

from flask import Response, current_app, request, url_for

from portal.access import public
from portal.domain import notices as build
from portal.forms_common import parse_page
from portal.models.base import utcnow
from portal.services.notices import feed

from .blueprint import bp


@bp.route("/frameworks/<int:framework_id>/ocds/releases.json")
@public
def releases(framework_id: int):
    page = parse_page(request.args.get("page"))
    found = feed.published_page(framework_id, page)
    uri = url_for("notices.releases", framework_id=framework_id, page=page, _external=True)
    next_uri = (
        url_for("notices.releases", framework_id=framework_id, page=page + 1, _external=True)
        if found.has_next
        else None
    )
    package = build.release_package(
        found.releases, uri, found.latest or utcnow(), current_app.config["SERVICE_NAME"], next_uri
    )
    return Response(json.dumps(package, ensure_ascii=False), mimetype="application/json")
