"""WSGI entry point: `gunicorn wsgi:app` in production, `flask --app wsgi run` locally."""

import gc

from portal import create_app

app = create_app()
# What exists now (modules, the app, its extensions: ~160,000 objects) lives as long as the process. Freezing it
# takes it out of the garbage collector's full collections, which otherwise walk all of it each time; a request
# that allocates a lot (a direct award's results across thousands of suppliers) triggers one almost every time.
gc.freeze()
