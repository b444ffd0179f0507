"""The same attempt submitted from two clients at once (two phones, a double tap, a retry
through another app server), many times over: exactly one grading each time."""

import threading

import pytest

from tests.reliability import servers

ROUNDS = 12


@pytest.fixture
def grading_log(stack):
    import psycopg

    with psycopg.connect(stack.database, autocommit=True) as conn:
        conn.execute(servers.GRADING_LOG)
    yield
    with psycopg.connect(stack.database, autocommit=True) as conn:
        conn.execute("DROP TRIGGER item_score ON exams_attemptitem")
        conn.execute("DROP TRIGGER attempt_score ON exams_attempt")


def test_two_submits_at_once_grade_exactly_once(stack, grading_log):
    questions = 5
    data = stack.seed_exam(prefix="twice", cadres=ROUNDS, questions=questions)
    first, second = stack.server(), stack.server()
    with servers.running(first, second):
        for cadre in data["cadres"]:
            session = cadre["session"]
            attempt_id = servers.start_attempt(first.port, exam_id=data["exam_id"], session=session)
            page = servers.open_attempt(first.port, attempt_id=attempt_id, session=session)
            for seq, position in enumerate(sorted(page["questions"]), start=page["next_seq"]):
                servers.save_right_answer(first.port, page, position, seq)
            barrier = threading.Barrier(2, timeout=10)
            statuses = []

            def submit(
                port, session=session, attempt_id=attempt_id, barrier=barrier, statuses=statuses
            ):
                barrier.wait()
                statuses.append(servers.submit(port, attempt_id=attempt_id, session=session).status)

            threads = [
                threading.Thread(target=submit, args=(server.port,), daemon=True)
                for server in (first, second)
            ]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            assert statuses == [302, 302]
            rows = servers.query(
                stack.database,
                "SELECT what, count(*) FROM grading_log WHERE attempt_id = %s GROUP BY what",
                (attempt_id,),
            )
            assert dict(rows) == {"attempt": 1, "item": questions}, f"round {cadre}"
            status, score, max_score = servers.attempt_outcome(stack.database, attempt_id)
            assert status == "graded" and score == max_score
