"""An app server killed with SIGKILL mid-exam and started again: every answer it
acknowledged is still there, the attempt resumes where it was, the deadline is the same."""

import threading

from tests.reliability import servers


def _deadline(stack, attempt_id):
    return servers.query(
        stack.database, "SELECT deadline FROM exams_attempt WHERE id = %s", (attempt_id,)
    )[0][0]


def test_sigkill_mid_exam_loses_no_acknowledged_answer(stack):
    data = stack.seed_exam(prefix="crash", cadres=1, questions=20)
    session = data["cadres"][0]["session"]
    server = stack.server()
    acknowledged = {}  # position -> seq the server said it saved
    try:
        server.start()
        attempt_id = servers.start_attempt(server.port, exam_id=data["exam_id"], session=session)
        page = servers.open_attempt(server.port, attempt_id=attempt_id, session=session)
        deadline = _deadline(stack, attempt_id)
        positions = sorted(page["questions"])
        # The phone keeps saving from a thread while the server is killed under it.
        stop = threading.Event()
        half = len(positions) // 2

        def keep_saving():
            for seq, position in enumerate(positions, start=page["next_seq"]):
                if stop.is_set():
                    return
                try:
                    response = servers.save_right_answer(
                        server.port, page, position, seq, timeout=5
                    )
                except OSError:
                    continue  # the server is gone: not acknowledged, the phone keeps it
                if response.status == 200:
                    acknowledged[position] = seq
                if position == positions[half]:
                    stop.wait(0.5)  # gives the kill below a chance to land mid-stream

        saver = threading.Thread(target=keep_saving, daemon=True)
        saver.start()
        while len(acknowledged) < half and saver.is_alive():
            saver.join(0.05)
        server.kill()
        stop.set()
        saver.join(30)
        assert not saver.is_alive()
        assert acknowledged, "no answer was acknowledged before the kill"

        rows = servers.query(
            stack.database,
            "SELECT position, answer_seq FROM exams_attemptitem WHERE attempt_id = %s",
            (attempt_id,),
        )
        stored = dict(rows)
        for position, seq in acknowledged.items():
            assert stored[position] >= seq, f"acknowledged answer {position} was lost"

        server.start()
        resumed = servers.open_attempt(server.port, attempt_id=attempt_id, session=session)
        assert _deadline(stack, attempt_id) == deadline
        assert resumed["token"] and resumed["next_seq"] > max(acknowledged.values())
        assert 0 < resumed["remaining"] <= page["remaining"]
        # Starting again resumes the same attempt, it does not open a second one.
        again = servers.start_attempt(server.port, exam_id=data["exam_id"], session=session)
        assert again == attempt_id
        # The phone sends what it still holds, then submits.
        seq = resumed["next_seq"]
        for position in positions:
            if position in acknowledged:
                continue
            response = servers.save_right_answer(server.port, resumed, position, seq)
            assert response.status == 200, response.text
            seq += 1
        assert servers.submit(server.port, attempt_id=attempt_id, session=session).status == 302
    finally:
        server.stop()
    status, score, max_score = servers.attempt_outcome(stack.database, attempt_id)
    assert status == "graded" and score == max_score
