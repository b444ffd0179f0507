"""A request never starts on a PostgreSQL connection the server has ended (a restart, a
failover, pg_terminate_backend): it is dropped at the request's start and the request
reconnects, instead of failing with a 503 in every thread that still held one."""

import os
import select

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.skipif(
        "postgres" not in os.environ.get("DATABASE_URL", ""),
        reason="needs PostgreSQL: run with DATABASE_URL=postgres://… (CI does)",
    ),
    pytest.mark.django_db(transaction=True),
]


def _backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def _terminate(pid: int) -> None:
    import psycopg

    settings = connection.settings_dict
    with psycopg.connect(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        dbname="postgres",
        autocommit=True,
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    # The server's goodbye takes a moment to arrive on the old connection's socket.
    select.select([connection.connection.fileno()], [], [], 5)


def test_a_request_after_the_server_ended_the_connection_reconnects(client):
    pid = _backend_pid()
    _terminate(pid)
    response = client.get("/laws/")
    assert response.status_code == 200
    assert _backend_pid() != pid


def test_a_live_connection_is_kept(client):
    pid = _backend_pid()
    assert client.get("/laws/").status_code == 200
    assert _backend_pid() == pid
