"""Two stateless app servers behind one PostgreSQL and one Redis: an attempt started on
one goes on and is submitted on the other, as behind a load balancer."""

from tests.reliability import servers


def test_an_attempt_moves_between_app_servers(stack):
    data = stack.seed_exam(prefix="scale", cadres=1, questions=6)
    cadre = data["cadres"][0]
    first, second = stack.server(), stack.server()
    with servers.running(first, second):
        attempt_id = servers.start_attempt(
            first.port, exam_id=data["exam_id"], session=cadre["session"]
        )
        # The other server finds the same attempt: the session is in Redis, not in memory.
        assert (
            servers.start_attempt(second.port, exam_id=data["exam_id"], session=cadre["session"])
            == attempt_id
        )
        page = servers.open_attempt(second.port, attempt_id=attempt_id, session=cadre["session"])
        seq = page["next_seq"]
        for index, position in enumerate(sorted(page["questions"])):
            port = (first, second)[index % 2].port
            response = servers.save_right_answer(port, page, position, seq)
            assert response.status == 200, response.text
            seq += 1
        again = servers.open_attempt(first.port, attempt_id=attempt_id, session=cadre["session"])
        assert again["next_seq"] == seq
        response = servers.submit(second.port, attempt_id=attempt_id, session=cadre["session"])
        assert response.status == 302
        assert response.headers["Location"].endswith(f"/exams/attempts/{attempt_id}/result/")
        result = servers.request(
            first.port, "GET", response.headers["Location"], session=cadre["session"]
        )
        assert result.status == 200
    status, score, max_score = servers.attempt_outcome(stack.database, attempt_id)
    assert status == "graded"
    assert score == max_score  # every answer was right: all were saved, on both servers
    answered = servers.query(
        stack.database,
        "SELECT count(*) FROM exams_attemptitem WHERE attempt_id = %s AND answer IS NOT NULL",
        (attempt_id,),
    )
    assert answered[0][0] == data["questions"]
