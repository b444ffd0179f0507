"""Real app servers for the reliability tests and `make bench`: a scratch PostgreSQL
database, gunicorn processes started with the production settings (deploy/gunicorn.conf.py)
on loopback ports, a plain-HTTP client, and cleanup that runs even when a test fails."""

import collections
import contextlib
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PG_ADMIN_URL = os.environ.get("RELIABILITY_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
REDIS_BASE = os.environ.get("RELIABILITY_REDIS_URL", "redis://127.0.0.1:6379")
SECRET_KEY = "reliability-" + secrets.token_hex(24)
# A plain-HTTP client cannot send a Secure cookie by the rules, but nothing stops it from
# sending the header itself; CSRF then needs only a cookie and a header that match.
CSRF_SECRET = secrets.token_hex(16)


# Test instrumentation in the scratch database: every write of a score is logged, so a
# second grading (which would score the items again) cannot go unnoticed.
GRADING_LOG = """
CREATE TABLE IF NOT EXISTS grading_log (attempt_id bigint, what text);
CREATE OR REPLACE FUNCTION log_item_score() RETURNS trigger AS $$
BEGIN INSERT INTO grading_log VALUES (NEW.attempt_id, 'item'); RETURN NEW; END $$
LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION log_attempt_score() RETURNS trigger AS $$
BEGIN INSERT INTO grading_log VALUES (NEW.id, 'attempt'); RETURN NEW; END $$
LANGUAGE plpgsql;
DROP TRIGGER IF EXISTS item_score ON exams_attemptitem;
CREATE TRIGGER item_score AFTER UPDATE OF score ON exams_attemptitem
  FOR EACH ROW EXECUTE FUNCTION log_item_score();
DROP TRIGGER IF EXISTS attempt_score ON exams_attempt;
CREATE TRIGGER attempt_score AFTER UPDATE OF score ON exams_attempt
  FOR EACH ROW EXECUTE FUNCTION log_attempt_score();
"""


def unavailable_reason(*, require_database_url=True) -> str | None:
    """Why these tests cannot run here, or None. The test suite runs them only in its
    PostgreSQL pass (DATABASE_URL), so that the SQLite pass says why it skips them."""
    if require_database_url and "postgres" not in os.environ.get("DATABASE_URL", ""):
        return "needs PostgreSQL: run with DATABASE_URL=postgres://… (CI does)"
    try:
        import psycopg
    except ImportError:
        return "psycopg is not installed (the `postgres` extra)"
    try:
        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except psycopg.Error as exc:
        return f"PostgreSQL is not reachable at {PG_ADMIN_URL}: {exc}"
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=2):
            pass
    except OSError:
        return "Redis is not reachable at 127.0.0.1:6379"
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return "gunicorn is not installed (the `prod` extra)"
    return None


def admin_sql(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def admin_sql_in(database: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(database, autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def database_url(name: str) -> str:
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + name


@contextlib.contextmanager
def scratch_database(name: str):
    """A new, empty database, dropped afterwards whatever happens (FORCE ends the
    connections of servers that are still shutting down)."""
    admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_sql(f'CREATE DATABASE "{name}"')
    try:
        yield database_url(name)
    finally:
        admin_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def flush_redis(redis_url: str) -> None:
    import redis

    redis.Redis.from_url(redis_url).flushdb()


def server_env(*, database: str, redis_url: str, settings="lms.settings.production", **extra):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "PYTEST_", "GUNICORN_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE=settings,
        DJANGO_SECRET_KEY=SECRET_KEY,
        DATABASE_URL=database,
        REDIS_URL=redis_url,
        SECURE_SSL_REDIRECT="0",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        MEDIA_ROOT=str(ROOT / "var" / "reliability-media"),
        PYTHONPATH=str(ROOT),
        LOG_LEVEL="WARNING",
    )
    env.update({key: str(value) for key, value in extra.items()})
    return env


def _python(env, what: str, command: list[str], args, timeout) -> str:
    """Run Python in the servers' environment; its output, or why it failed."""
    result = subprocess.run(
        [sys.executable, *command, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode:
        raise RuntimeError(f"{what} {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def manage(env, *args, timeout=300) -> str:
    return _python(env, "manage.py", ["manage.py"], args, timeout)


def seed(env, *args, timeout=300) -> dict:
    output = _python(env, "seed", ["-m", "tests.reliability.seed"], args, timeout)
    return json.loads(output.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """One gunicorn (arbiter and workers in their own process group, so that a SIGKILL
    takes all of them, as a crashed host would)."""

    def __init__(self, env, *, port=None, workers=2, threads=4, log_path=None):
        self.env = dict(env, GUNICORN_WORKERS=workers, GUNICORN_THREADS=threads)
        self.port = port or free_port()
        self.env["GUNICORN_BIND"] = f"127.0.0.1:{self.port}"
        self.env = {key: str(value) for key, value in self.env.items()}
        self.log_path = log_path or ROOT / "var" / f"gunicorn-{self.port}.log"
        self.process = None

    def start(self, timeout=60):
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "ab")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "lms.wsgi",
                "--config",
                str(ROOT / "deploy" / "gunicorn.conf.py"),
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self.log_path}:\n{self.log_tail()}")
            try:
                if request(self.port, "GET", "/accounts/login/", timeout=5).status < 500:
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"gunicorn did not answer in {timeout}s:\n{self.log_tail()}")

    def log_tail(self, size=3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-size:]
        except OSError:
            return ""

    def kill(self):
        """SIGKILL to the whole group: no atexit, no graceful shutdown."""
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(10)

    def stop(self):
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        # Workers orphaned by a killed arbiter are in the same group.
        if self.process:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.process.pid, signal.SIGKILL)
        if getattr(self, "_log", None):
            self._log.close()


@contextlib.contextmanager
def running(*servers: AppServer):
    try:
        for server in servers:
            server.start()
        yield servers
    finally:
        for server in servers:
            server.stop()


class Response:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body)

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")


def cookie_header(session: str | None) -> str:
    """The Cookie header of a cadre's phone: the CSRF cookie, and with a session the same
    device cookie with every request, as a browser keeps it (an attempt is bound to the
    device that started it, exams/services/integrity.py)."""
    cookies = [f"csrftoken={CSRF_SECRET}"]
    if session:
        cookies.append(f"sessionid={session}")
        cookies.append(f"exam_device=phone-{session[:24]}")
    return "; ".join(cookies)


def request(port, method, path, *, body=None, headers=None, session=None, timeout=15):
    """One request over a new connection (a server may have died since the last one)."""
    headers = dict(headers or {})
    headers.setdefault("Cookie", cookie_header(session))
    if method == "POST":
        headers.setdefault("X-CSRFToken", CSRF_SECRET)
    if isinstance(body, dict):
        body = json.dumps(body).encode()
        headers.setdefault("Content-Type", "application/json")
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return Response(response.status, dict(response.getheaders()), response.read())
    finally:
        connection.close()


QUESTION_RE = re.compile(r'data-position="(\d+)" data-kind="(\w+)"')
BLANK_RE = re.compile(r'name="q(\d+)-\d+"')
# A choice's input carries the page's opaque value for it (exams.option_tokens).
OPTION_RE = re.compile(r'name="q(\d+)" value="([^"]+)"')


def attempt_page_facts(html: str) -> dict:
    """What the phone's script reads from the attempt page: the token, the next sequence
    number, and each question's kind with its number of blanks or its choices' values."""
    config = html[html.index('id="attempt-config"') :]

    def data(name):
        return re.search(rf'data-{name}="([^"]*)"', config).group(1)

    # One pass each: the load generator shares the machine with the server it measures.
    blanks = collections.Counter(BLANK_RE.findall(html))
    values = collections.defaultdict(list)
    for position, value in OPTION_RE.findall(html):
        values[position].append(value)
    attempt_id = int(data("attempt"))
    questions = {
        int(position): (
            kind,
            blanks[position]
            if kind == "blank"
            else in_key_order(values[position], attempt_id=attempt_id, position=int(position)),
        )
        for position, kind in QUESTION_RE.findall(html)
    }
    return {
        "attempt_id": attempt_id,
        "token": data("token"),
        "next_seq": int(data("next-seq")),
        "remaining": int(data("remaining")),
        "questions": questions,
    }


def in_key_order(values: list, *, attempt_id: int, position: int) -> list:
    """A question's opaque option values in the bank's key order (A, B, …) rather than the
    shuffled order of the page: the client knows the servers' secret, so it can tell which
    value is choice A (the seed's right answer) as no cadre can."""
    keys = option_keys_of(attempt_id=attempt_id, position=position)
    return sorted(values, key=lambda value: keys.get(value, "~"))


def option_keys_of(*, attempt_id: int, position: int) -> dict[str, str]:
    """The bank's key of each opaque option value question `position` of the attempt can
    have, under the servers' secret: what the stored answers are in."""
    from exams.option_tokens import option_value_under

    return {
        option_value_under(SECRET_KEY, attempt_id=attempt_id, position=position, key=key): key
        for key in "ABCDEFGH"
    }


def answer_for(kind: str, blanks) -> dict:
    """The right answer to a question of `attempt_page_facts` (the seed makes A, or A and
    B, right): `blanks` is the number of blanks, or the choices' values in key order."""
    if kind == "multiple":
        return {"choices": blanks[:2]}
    if kind == "blank":
        return {"blanks": ["依法行政"] * max(1, blanks)}
    return {"choices": blanks[:1]}


def start_attempt(port, *, exam_id, session) -> int:
    response = request(port, "POST", f"/exams/{exam_id}/start/", session=session)
    assert response.status == 200, (response.status, response.text[:500])
    return attempt_page_facts(response.text)["attempt_id"]


def open_attempt(port, *, attempt_id, session) -> dict:
    response = request(port, "GET", f"/exams/attempts/{attempt_id}/", session=session)
    assert response.status == 200, (response.status, response.text[:500])
    return attempt_page_facts(response.text)


def save_answer(port, *, attempt_id, token, position, answer, seq, timeout=15):
    return request(
        port,
        "POST",
        f"/exams/api/attempts/{attempt_id}/answers/",
        body={"position": position, "answer": answer, "seq": seq},
        headers={"X-Attempt-Token": token, "Accept": "application/json"},
        timeout=timeout,
    )


def save_right_answer(port, page: dict, position: int, seq: int, *, timeout=15):
    """Save the right answer to question `position` of the attempt page `page` (what
    `attempt_page_facts` read from it), as the phone's script would."""
    kind, blanks = page["questions"][position]
    return save_answer(
        port,
        attempt_id=page["attempt_id"],
        token=page["token"],
        position=position,
        answer=answer_for(kind, blanks),
        seq=seq,
        timeout=timeout,
    )


def submit(port, *, attempt_id, session):
    return request(port, "POST", f"/exams/attempts/{attempt_id}/submit/", session=session)


def query(database: str, sql: str, params=()) -> list[tuple]:
    import psycopg

    with psycopg.connect(database, connect_timeout=5) as conn:
        return conn.execute(sql, params).fetchall()


def attempt_outcome(database: str, attempt_id: int) -> tuple:
    """The attempt's (status, score, max_score) as stored."""
    return query(
        database,
        "SELECT status, score, max_score FROM exams_attempt WHERE id = %s",
        (attempt_id,),
    )[0]
