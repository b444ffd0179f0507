"""Read-aloud on a lesson: with a Chinese voice it reads and can be stopped; without one the
page says so in words instead of showing 停止朗读 over silence."""

import pytest

from lms.accounts.roles import Role
from tests.courses import pages
from tests.factories import OrgUnitFactory, UserFactory

# The phone's speech engine, replaced: `voices` are its voices' languages; a voice that
# exists starts speaking at once, and nothing starts where there is none.
SPEECH_STUB = """
(function (langs) {
  window.__spoken = [];
  var synth = {
    speaking: false,
    getVoices: function () { return langs.map(function (l) { return {lang: l, name: l}; }); },
    cancel: function () { synth.speaking = false; },
    speak: function (u) {
      window.__spoken.push(u.text);
      if (!langs.some(function (l) { return /^zh/.test(l); })) return;
      synth.speaking = true;
      setTimeout(function () { u.onstart && u.onstart(); }, 10);
    },
  };
  Object.defineProperty(window, "speechSynthesis", {value: synth, configurable: true});
  window.SpeechSynthesisUtterance = function (text) { this.text = text; };
})(%s);
"""


@pytest.fixture
def lesson_for_cadre(live_server, phone, sign_in):
    def open_with(voices):
        phone.add_init_script(SPEECH_STUB % voices)
        UserFactory(phone="13800000001", unit=OrgUnitFactory(code="V-01"), role=Role.CADRE)
        lesson = pages.lesson(pages.course(title="新法学习"), title="行政处罚法")
        sign_in("13800000001", next=lesson.url)
        return phone

    return open_with


def test_a_chinese_voice_reads_the_lesson_and_stops(lesson_for_cadre):
    page = lesson_for_cadre('["en-US", "zh-CN"]')
    button = page.locator("#read-aloud")
    button.click()
    page.wait_for_function("window.__spoken.length === 1")
    assert button.inner_text() == "停止朗读"
    assert page.locator("#read-aloud-note").is_hidden()
    button.click()
    assert button.inner_text() == "朗读"


def test_without_a_chinese_voice_the_page_says_so(lesson_for_cadre):
    page = lesson_for_cadre('["en-US"]')
    page.locator("#read-aloud").click()
    note = page.locator("#read-aloud-note")
    note.wait_for(state="visible")
    assert "没有中文朗读语音" in note.inner_text()
    assert page.locator("#read-aloud").inner_text() == "朗读"


def test_a_voice_that_never_starts_is_reported_too(lesson_for_cadre):
    # Some phones list no voices at all until late: the page tries, and says so when
    # nothing is heard.
    page = lesson_for_cadre("[]")
    page.locator("#read-aloud").click()
    assert page.locator("#read-aloud").inner_text() == "停止朗读"
    note = page.locator("#read-aloud-note")
    note.wait_for(state="visible", timeout=8000)
    assert "没有中文朗读语音" in note.inner_text()
    assert page.locator("#read-aloud").inner_text() == "朗读"
