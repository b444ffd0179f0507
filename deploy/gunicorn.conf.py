"""Gunicorn settings for production, the benchmarks and the reliability tests alike, so
that what is measured is what runs. Every value can be overridden from the environment."""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Two processes per core would double the PostgreSQL connections without more throughput:
# the exam's hot path is one short SQL statement, so threads wait on the database, not on
# the CPU. One process per core, four threads each (DESIGN.md, "Hot paths").
workers = int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() or 2))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
# Connections from nginx are kept open; a phone's slow upload is buffered by nginx first.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
# A request that has not finished in this time is a bug or a stuck query: restart the worker.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# Workers are recycled now and then so that a slow leak never takes a server down mid-exam;
# the jitter keeps them from restarting together.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "20000"))
max_requests_jitter = 2000
# Load the app before forking: workers share its memory and a broken deploy fails at once.
preload_app = True
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "warning")
# nginx on the same host sets X-Forwarded-Proto; trust it from loopback only.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def post_fork(server, worker):
    # Connections opened while preloading must not be shared by the forked workers.
    from django.db import connections

    connections.close_all()
