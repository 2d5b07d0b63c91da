"""rq's cron configuration for the reminders: `rq cron portal.reminders_cron --url "$REDIS_URL"` enqueues
portal.jobs.send_due_reminders on the reminders queue every 15 minutes (REMINDER_QUEUE, if set in the environment,
names another queue); an RQ worker on that queue runs it (`flask reminders worker`). Loaded only by `rq cron`:
importing it registers the job with rq's cron registry."""

from __future__ import annotations

import os

from rq import cron

from portal.jobs import DEFAULT_REMINDER_QUEUE, REMINDER_INTERVAL_SECONDS, send_due_reminders

cron.register(
    send_due_reminders,
    os.environ.get("REMINDER_QUEUE") or DEFAULT_REMINDER_QUEUE,
    interval=REMINDER_INTERVAL_SECONDS,
    job_timeout=REMINDER_INTERVAL_SECONDS,
    name="reminders-send-due",
)
