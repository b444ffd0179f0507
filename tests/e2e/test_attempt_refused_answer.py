"""An answer the server refuses as invalid (400: characters no database stores) is not
sent again, and the cadre reads why next to the question."""

import json

from playwright.sync_api import expect

from exams.models import AttemptItem
from tests.e2e.attempt_steps import start


def test_a_refused_answer_is_not_retried_and_says_why(phone, sign_in):
    start(phone, sign_in, phone_number="13800000061", size=2)
    sent = []

    def corrupt(route):
        # What a broken input method could send: a lone surrogate in the answer.
        body = json.loads(route.request.post_data)
        sent.append(body["position"])
        body["answer"] = {"choices": ["\ud800"]}
        route.continue_(post_data=json.dumps(body))

    phone.route("**/answers/", corrupt)
    phone.locator("#q1 label.option").nth(1).click()
    state = phone.locator("#q1 .save-state[data-state=error]")
    expect(state).to_contain_text("无法保存的字符")
    phone.wait_for_timeout(2500)
    phone.screenshot(path="/tmp/shots-wt-security/refused-answer.png")
    assert sent == [1]
    assert AttemptItem.objects.get(position=1).answer is None
