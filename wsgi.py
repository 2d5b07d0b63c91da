"""WSGI entry point: `gunicorn wsgi:app` in production, `flask --app wsgi run` locally."""

import gc

from portal import create_app

app = create_app()
# What the app loaded at startup (modules, mappers, templates, forms: ~150,000 objects) lives as long as the
# process, yet every full garbage collection walked it all: 75-140 ms of CPU, once every few large requests (a
# results page of 200 bids, a direct award's results across thousands of suppliers; see bench/). Frozen, it is
# left out of collections; what requests create is collected as before. Before any fork, it also keeps those
# pages shared between gunicorn workers.
gc.freeze()
