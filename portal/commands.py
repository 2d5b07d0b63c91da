"""Command-line tasks: `flask seed-demo`, `flask demo-accounts`, `flask audit verify`, `flask documents-worker`,
`flask reminders send-due` (and its RQ worker and enqueue);
maintenance commands (`flask files gc`, ...) are in portal/maintenance.py."""

from __future__ import annotations

import click
from flask import Flask, current_app
from sqlalchemy import func, select

from portal.extensions import db
from portal.jobs import documents_worker
from portal.maintenance import files_group, mail_group, seal_group


def register(app: Flask) -> None:
    app.cli.add_command(seed_demo)
    app.cli.add_command(demo_accounts)
    app.cli.add_command(audit_group)
    app.cli.add_command(documents_worker)
    app.cli.add_command(files_group)
    app.cli.add_command(mail_group)
    app.cli.add_command(seal_group)
    app.cli.add_command(reminders_group)


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Seed only when the database has no frameworks yet.")
def seed_demo(if_empty: bool) -> None:
    """Load the demo frameworks, suppliers, buyers and accounts (idempotent); never in production."""
    from portal.models import Framework, OutboxMessage
    from portal.seed import demo
    from portal.services import mail

    if current_app.config["ENVIRONMENT"] == "production":
        # The demo's accounts share one published password: loaded into a live portal they are a way in.
        raise click.ClickException(
            "seed-demo refuses to run when PORTAL_ENV=production: the demo accounts share a public password."
        )
    if if_empty and db.session.scalar(select(func.count(Framework.id))):
        click.echo("Database already has data; demo data not loaded.")
        return
    queued_before = db.session.scalar(select(func.count(OutboxMessage.id))) or 0
    with mail.unlogged():  # one line below, not the text of every e-mail the seed sends
        report = demo.seed()
    queued = (db.session.scalar(select(func.count(OutboxMessage.id))) or 0) - queued_before
    click.echo(report)
    click.echo(f"Seeded demo data: {queued} e-mails queued in the outbox (read them at /admin/outbox).")


@click.command("demo-accounts")
def demo_accounts() -> None:
    """Print the demo accounts, if the demo data is loaded."""
    from portal.seed.demo import DEMO_PASSWORD, demo_account_lines

    lines = demo_account_lines()
    if not lines:
        click.echo("No demo accounts in this database.")
        return
    click.echo(f"\nDemo accounts (password for all: {DEMO_PASSWORD}):")
    for line in lines:
        click.echo(f"  {line}")
    click.echo("")


@click.group("audit")
def audit_group() -> None:
    """The audit trail."""


@audit_group.command("verify")
def audit_verify() -> None:
    """Walk the audit hash chain and report the first broken link, or that it is intact."""
    from portal.services import audit

    report = audit.verify()
    if report.intact:
        click.echo(f"Audit chain intact: {report.checked} events verified.")
        if report.note:
            click.echo(f"Note: {report.note}.")
        return
    click.echo(
        f"Audit chain BROKEN at event {report.broken_at}: {report.reason} "
        f"({report.checked} events before it verified).",
        err=True,
    )
    raise SystemExit(1)


@audit_group.command("rekey")
def audit_rekey() -> None:
    """Bind a chain written before AUDIT_KEY under the key now (run once, straight after upgrading to 0014)."""
    from portal.services import audit

    report, event = audit.key_existing_chain()
    if not report.intact:
        click.echo(f"Not keyed: the chain is BROKEN at event {report.broken_at}: {report.reason}.", err=True)
        raise SystemExit(1)
    if event is None:
        click.echo("Audit chain already keyed: nothing to do.")
        return
    click.echo(
        f"Audit chain keyed from event {event.id}: events 1 to {event.id - 1} keep their SHA-256 hashes "
        f"and are bound by event {event.id}'s HMAC."
    )


@click.group("reminders")
def reminders_group() -> None:
    """Reminders computed from state (deadlines, scores due, approvals waiting, standstill, accreditations)."""


@reminders_group.command("send-due")
def reminders_send_due() -> None:
    """Send the reminders due now, each once (safe to run every few minutes from cron, and twice at once)."""
    from portal.services.notifications import reminders

    click.echo(reminders.send_due().line())


@reminders_group.command("enqueue")
def reminders_enqueue() -> None:
    """Put one run of the reminders on the RQ reminders queue now (needs REDIS_URL)."""
    from portal import jobs

    if not current_app.config.get("REDIS_URL"):
        raise click.UsageError("Set REDIS_URL (without it, run `flask reminders send-due` from cron instead).")
    job = jobs.reminder_queue().enqueue(jobs.send_due_reminders, job_timeout=jobs.REMINDER_INTERVAL_SECONDS)
    click.echo(f"Reminders queued as RQ job {job.id}")


@reminders_group.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def reminders_worker(burst: bool) -> None:
    """Run an RQ worker for the reminders queue (needs REDIS_URL); `rq cron portal.reminders_cron` enqueues runs."""
    from rq import SimpleWorker

    from portal import jobs

    if not current_app.config.get("REDIS_URL"):
        raise click.UsageError("Set REDIS_URL (without it, run `flask reminders send-due` from cron instead).")
    queue = jobs.reminder_queue()
    click.echo(f"Working on queue {queue.name!r} at {current_app.config['REDIS_URL']}")
    # SimpleWorker: jobs run in this process, in the app context the command already has (no fork).
    SimpleWorker([queue], connection=queue.connection).work(burst=burst)
