"""Framework Portal: the application factory."""

from __future__ import annotations

import logging
import secrets

from flask import Flask, g, render_template, request
from jinja2 import ChoiceLoader, FileSystemLoader, PackageLoader, PrefixLoader
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import input_guard
from portal.config import ROOT, load_config


def create_app(config: dict | None = None) -> Flask:
    app = Flask(
        __name__,
        template_folder=str(ROOT / "templates"),
        static_folder=str(ROOT / "portal" / "static"),
        instance_path=str(ROOT / "instance"),
    )
    app.config.update(load_config(config))
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
        # Short OLTP queries never repay JIT compilation; when a planner penalty (enable_seqscan off
        # inside supplier_search_hits, migration 0002) inflates a plan's cost, JIT cost 300 ms.
        options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))
        options["connect_args"] = {**options.get("connect_args", {}), "options": "-c jit=off"}
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    configure_templates(app)
    register_extensions(app)
    input_guard.init_app(app)  # before the blueprints: their routes take its `int` converter
    register_blueprints(app)
    register_errorhandlers(app)
    register_security(app)
    register_commands(app)
    logging.basicConfig(level=logging.INFO)
    return app


def configure_templates(app: Flask) -> None:
    app.jinja_loader = ChoiceLoader(
        [
            FileSystemLoader(str(ROOT / "templates")),
            PrefixLoader(
                {
                    "govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja"),
                    "govuk_frontend_wtf": PackageLoader("govuk_frontend_wtf"),
                }
            ),
        ]
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    from portal import template_helpers

    template_helpers.register(app)


def register_extensions(app: Flask) -> None:
    from portal import models  # noqa: F401  (registers every model with the metadata)
    from portal.extensions import csrf, db, login_manager, migrate, wtf_helpers

    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    wtf_helpers.init_app(app)
    from portal.forms_common import wtforms_errors

    app.add_template_global(wtforms_errors)  # replaces the helper's own: date errors link to a box, not a wrapper
    login_manager.init_app(app)
    from portal.services.mail import outbox

    outbox.init_app(app)  # e-mails are delivered after the transaction that queued them commits
    from portal.services.bids import reads

    reads.init_app(app)  # reads of bid content after opening are audited once the page is built
    login_manager.login_view = "auth.sign_in"
    login_manager.login_message = "Sign in to see this page"
    login_manager.login_message_category = "info"
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str):
        # The cookie names a server-side session; signing out, a password change, deactivation or a time-out
        # revokes it there, so a copy of the cookie is refused (portal/services/people/sessions.py).
        from portal.services.people import sessions

        return sessions.user_for_session(session_id)


def register_blueprints(app: Flask) -> None:
    from portal.access import enforce_access
    from portal.admin.frameworks import bp as admin_frameworks_bp
    from portal.admin.people import bp as admin_people_bp
    from portal.admin.suppliers import bp as admin_suppliers_bp
    from portal.auth import bp as auth_bp
    from portal.bids import bp as bids_bp
    from portal.catalogue import bp as catalogue_bp
    from portal.clarifications import bp as clarifications_bp
    from portal.competitions import bp as competitions_bp
    from portal.contracts import bp as contracts_bp
    from portal.direct_awards import bp as direct_awards_bp
    from portal.documents import bp as documents_bp
    from portal.evaluation import bp as evaluation_bp
    from portal.main import bp as main_bp
    from portal.notices import bp as notices_bp
    from portal.notifications import bp as notifications_bp
    from portal.supplier import bp as supplier_bp

    for bp in (
        main_bp,
        auth_bp,
        catalogue_bp,
        admin_frameworks_bp,
        admin_suppliers_bp,
        admin_people_bp,
        supplier_bp,
        competitions_bp,
        clarifications_bp,
        bids_bp,
        evaluation_bp,
        direct_awards_bp,
        documents_bp,
        contracts_bp,
        notices_bp,
        notifications_bp,
    ):
        app.register_blueprint(bp)
    from portal.bids.kept_views import keep_answer_of_timed_out_session

    # Before the access check sends a timed-out supplier to sign in, keep the bid answer they were sending.
    app.before_request(keep_answer_of_timed_out_session)
    app.before_request(enforce_access)


def register_errorhandlers(app: Flask) -> None:
    from flask_wtf.csrf import CSRFError

    from portal.services.errors import ServiceError

    titles = {
        400: "Bad request",
        403: "You do not have permission to see this page",
        404: "Page not found",
        405: "Method not allowed",
        409: "This cannot be done now",
        413: "What you sent is too large",
        429: "Too many requests",
        500: "Sorry, there is a problem with the service",
    }

    def render_error(code: int, message: str | None = None):
        return render_template("errors/error.html", code=code, title=titles.get(code, "Error"), message=message), code

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400,
            "The form had expired or was sent from another site. Go back, refresh the page and try again.",
        )

    @app.errorhandler(ServiceError)
    def service_error(error: ServiceError):
        return render_error(error.status_code, error.message)

    @app.errorhandler(500)
    def server_error(error):
        return render_error(500)


def register_security(app: Flask) -> None:
    proxies = int(app.config.get("TRUSTED_PROXY_COUNT") or 0)
    if proxies > 0:
        # Only the addresses our own proxies appended are believed: a client's X-Forwarded-For cannot choose the
        # address that sign-in throttling slows down (portal/services/people/throttle.py).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)  # type: ignore[method-assign]

    @app.before_request
    def make_nonce():
        g.csp_nonce = secrets.token_urlsafe(16)

    @app.after_request
    def security_headers(response):
        nonce = getattr(g, "csp_nonce", "")
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; "
            f"script-src 'self' 'nonce-{nonce}'; "
            "style-src 'self'; img-src 'self' data:; font-src 'self'; "
            "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
            "base-uri 'self'; object-src 'none'"
        )
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if app.config["ENVIRONMENT"] == "production":
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint != "static":
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def register_commands(app: Flask) -> None:
    from portal.commands import register

    register(app)
