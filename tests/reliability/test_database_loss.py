"""The app's database connections cut (pg_terminate_backend) during answer saves: clients
get a clean 503 (JSON for the API, a page for the browser), a retry succeeds once the
database is back, and nothing is half-written."""

import concurrent.futures
import threading

import psycopg
import pytest

from tests.reliability import servers

MAX_ROUNDS = 20


def _terminate(stack):
    name = stack.database.rsplit("/", 1)[1]
    with psycopg.connect(servers.PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = %s AND pid <> pg_backend_pid()",
            (name,),
        )


def _allow_connections(stack, allow: bool):
    name = stack.database.rsplit("/", 1)[1]
    servers.admin_sql(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS {str(allow).lower()}')


@pytest.fixture
def server(stack):
    server = stack.server()
    try:
        yield server.start()
    finally:
        _allow_connections(stack, True)
        server.stop()


def _exam(stack, server, prefix, cadres=1, questions=8):
    data = stack.seed_exam(prefix=prefix, cadres=cadres, questions=questions)
    attempts = []
    for cadre in data["cadres"]:
        attempt_id = servers.start_attempt(
            server.port, exam_id=data["exam_id"], session=cadre["session"]
        )
        page = servers.open_attempt(server.port, attempt_id=attempt_id, session=cadre["session"])
        attempts.append((attempt_id, cadre["session"], page))
    return data, attempts


def _open_at_once(server, attempt_id, session, times=32):
    """The attempt page, requested by many clients at once: every thread of every worker
    serves some of them."""

    def open_page(_n):
        path = f"/exams/attempts/{attempt_id}/"
        return servers.request(server.port, "GET", path, session=session).status

    with concurrent.futures.ThreadPoolExecutor(16) as pool:
        return list(pool.map(open_page, range(times)))


def test_a_lost_database_gives_503_then_a_retry_succeeds(stack, server):
    _data, [(attempt_id, session, page)] = _exam(stack, server, "down")
    assert _open_at_once(server, attempt_id, session) == [200] * 32
    position, seq = min(page["questions"]), page["next_seq"]

    _allow_connections(stack, False)
    _terminate(stack)
    refused = servers.save_right_answer(server.port, page, position, seq)
    assert refused.status == 503
    assert refused.headers["Content-Type"] == "application/json"
    assert refused.json()["ok"] is False and refused.json()["error"]
    assert int(refused.headers["Retry-After"]) > 0
    browser = servers.request(server.port, "GET", f"/exams/attempts/{attempt_id}/", session=session)
    assert browser.status == 503
    assert browser.headers["Content-Type"].startswith("text/html")
    assert "<h1>" in browser.text
    heartbeat = servers.request(
        server.port, "POST", "/study/heartbeat/", body={"seq": 1}, session=session
    )
    assert heartbeat.status == 503 and heartbeat.json()["ok"] is False

    _allow_connections(stack, True)
    retried = servers.save_right_answer(server.port, page, position, seq)
    assert retried.status == 200, retried.text
    stored = servers.query(
        stack.database,
        "SELECT answer_seq FROM exams_attemptitem WHERE attempt_id = %s AND position = %s",
        (attempt_id, position),
    )
    assert stored == [(seq,)]
    # Every thread of both workers held a connection the server ended; none may fail a
    # request with it once the database is back.
    assert _open_at_once(server, attempt_id, session) == [200] * 32


def test_connections_cut_during_a_burst_of_saves(stack, server):
    """Cadres keep saving (retrying on 503, as the page's script does) while the
    connections are cut again and again: every response is 200 or a clean 503, every
    answer lands once with its own sequence number, nothing else is written."""
    _data, attempts = _exam(stack, server, "burst", cadres=4, questions=10)
    stop = threading.Event()
    cuts = []

    def cut():
        while not stop.is_set():
            _terminate(stack)
            cuts.append(1)
            stop.wait(0.05)

    statuses, failures, last_seq = [], [], {}

    def cadre(page):
        # Rounds over the paper until the connections have been cut a few times: on a fast
        # machine one round can finish between two cuts.
        order = sorted(page["questions"])
        for round_number in range(MAX_ROUNDS):
            if round_number and len(cuts) > 5:
                break
            first = page["next_seq"] + round_number * len(order)
            for seq, position in enumerate(order, first):
                save_until_answered(page, position, seq)
                last_seq[page["attempt_id"], position] = seq

    def save_until_answered(page, position, seq):
        for _try in range(50):
            try:
                response = servers.save_right_answer(server.port, page, position, seq, timeout=10)
            except OSError as exc:
                failures.append(repr(exc))
                continue
            statuses.append(response.status)
            if response.status == 503:
                if response.json().get("ok") is not False:
                    failures.append(response.text)
                continue
            if response.status != 200:
                failures.append(f"{response.status}: {response.text}")
            break

    cutter = threading.Thread(target=cut, daemon=True)
    workers = [
        threading.Thread(target=cadre, args=(page,), daemon=True)
        for _id, _session, page in attempts
    ]
    cutter.start()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(120)
    stop.set()
    cutter.join(10)
    assert not any(worker.is_alive() for worker in workers)
    assert not failures, failures[:5]
    assert set(statuses) <= {200, 503}
    assert len(cuts) > 3
    for attempt_id, _session, page in attempts:
        rows = servers.query(
            stack.database,
            "SELECT position, answer_seq, answer IS NOT NULL FROM exams_attemptitem"
            " WHERE attempt_id = %s ORDER BY position",
            (attempt_id,),
        )
        expected = [
            (position, last_seq[attempt_id, position], True)
            for position in sorted(page["questions"])
        ]
        assert rows == expected
