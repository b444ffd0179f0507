"""Answer 503 (not 500) while the database is unreachable: a JSON refusal for scripts, a
short page for people; either way the client is told to retry, and nothing half-done
stays behind (each write is one statement or one transaction). Once the database is back,
a request never starts on a connection the server has already closed."""

import logging
import select
import sys

from django.core.signals import got_request_exception, request_started
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lms.json_api import json_error

logger = logging.getLogger(__name__)

# Paths whose callers are scripts (answer saves, study heartbeats, polling): they read
# JSON, and a page would be shown to nobody.
JSON_PREFIXES = ("/exams/api/", "/study/")
RETRY_AFTER_SECONDS = 5
_MARK = "_lms_database_unavailable"


def _is_database_unavailable(exc) -> bool:
    return isinstance(exc, OperationalError | InterfaceError)


def _wants_json(request) -> bool:
    return (
        request.path.startswith(JSON_PREFIXES)
        or request.headers.get("Accept", "").startswith("application/json")
        or request.content_type == "application/json"
    )


def database_unavailable_response(request) -> HttpResponse:
    message = _("The service is busy for a moment. Please try again in a few seconds.")
    if _wants_json(request):
        response = json_error(message, 503)
    else:
        # No request context: the context processors would query the database again.
        html = render_to_string(
            "503.html",
            {"message": message, "path": request.get_full_path(), "LANGUAGE_CODE": get_language()},
        )
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _mark_request(sender, request=None, **kwargs):
    """Django turns an exception raised inside a middleware into a 500 before the outer
    middleware sees it; this receiver runs while the exception is being handled and marks
    the request, so the outermost middleware can replace that 500 with a 503."""
    if request is not None and _is_database_unavailable(sys.exc_info()[1]):
        setattr(request, _MARK, True)


got_request_exception.connect(_mark_request, dispatch_uid="lms.middleware_db")


def _close_connections_the_server_closed(**kwargs):
    """An idle PostgreSQL connection has nothing to read unless the server ended it (a
    restart, a failover, pg_terminate_backend: it sends the reason and closes). One
    non-blocking poll of the socket tells, where Django's health check would cost a round
    trip per request; without either, every thread of every app server would fail one
    request with a stale connection after each database restart."""
    for connection in connections.all(initialized_only=True):
        raw = connection.connection
        if connection.vendor != "postgresql" or raw is None or connection.in_atomic_block:
            continue
        try:
            poll = select.poll()
            poll.register(raw.fileno(), select.POLLIN)
            ended = bool(poll.poll(0))
        except Exception:  # psycopg's own error (not Django's) when the socket is gone
            ended = True
        if ended:
            connection.close()


request_started.connect(_close_connections_the_server_closed, dispatch_uid="lms.db_liveness")


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(request, _MARK, False) and response.status_code == 500:
            logger.warning("Database unavailable during %s %s", request.method, request.path)
            return database_unavailable_response(request)
        return response

    def process_exception(self, request, exception):
        # The usual case, an error raised in a view: answered here without a 500 logged.
        if _is_database_unavailable(exception):
            logger.warning(
                "Database unavailable during %s %s: %s", request.method, request.path, exception
            )
            return database_unavailable_response(request)
        return None
