"""A cadre's phone, by tapping only from the home page: every feature is one or two taps
away through the bottom navigation (每日一练, 错题本, a practice, 我的年度考核, 我的证书,
学时记录), and a wrong address shows the Chinese 404 with a way home."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from exams.models import AttemptItem, Exam
from exams.services.attempts import attempt_grade, attempt_start
from lms.accounts.roles import Role
from tests.exams import exam_builders as build
from tests.factories import OrgUnitFactory, UserFactory

SIZES = [(390, 844), (320, 640)]


def tab(phone, label):
    """Tap a tab of the bottom navigation: it must be thumb-sized."""
    link = phone.locator(".bottom-nav a", has_text=label)
    box = link.bounding_box()
    assert box["height"] >= 48 and box["width"] >= 48, (label, box)
    link.tap()
    expect(link).to_have_attribute("aria-current", "page")


def link_on(phone, label, text):
    """Tap a tab, then find the links to a feature on the page it opens."""
    tab(phone, label)
    return phone.locator("a", has_text=text)


@pytest.fixture
def cadre_with_a_year():
    """A cadre with one wrong answer in a graded quiz (so 错题本 has a count) and an open
    practice paper."""
    cadre = UserFactory(phone="13800000031", unit=OrgUnitFactory(code="V-TAP"), role=Role.CADRE)
    quiz = build.exam(questions=[build.question(), build.question()], points=Decimal("50"))
    attempt = attempt_start(exam=quiz, user=cadre)
    AttemptItem.objects.filter(attempt=attempt, position=1).update(answer=["A"])
    AttemptItem.objects.filter(attempt=attempt, position=2).update(answer=["B"])
    attempt_grade(attempt_id=attempt.pk)
    build.exam(
        questions=[build.question() for _ in range(3)],
        kind=Exam.Kind.PRACTICE,
        title="新法练习",
        time_limit_minutes=None,
        attempts_allowed=0,
    )
    return cadre


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_every_cadre_feature_is_a_tap_away(live_server, phone, sign_in, cadre_with_a_year, size):
    phone.set_viewport_size({"width": size[0], "height": size[1]})
    sign_in("13800000031")
    heading = phone.locator("h1")
    expect(heading).to_have_text("我的学习")
    assert phone.evaluate("document.documentElement.scrollWidth") <= size[0], "no sideways scroll"

    link_on(phone, "练习", "每日一练").first.tap()
    expect(heading).to_have_text("每日一练")

    mistakes = link_on(phone, "练习", "错题本").first
    expect(mistakes).to_contain_text("1 道")
    mistakes.tap()
    expect(heading).to_have_text("错题本")

    link_on(phone, "练习", "新法练习").tap()
    expect(phone.locator("form[action$='/start/'] button")).to_have_text("开始练习")

    link_on(phone, "我的", "我的年度考核").tap()
    expect(heading).to_contain_text("年度考核")
    for feature in ("学时记录", "我的证书"):
        link_on(phone, "我的", feature).tap()
        expect(heading).to_have_text(feature)

    tab(phone, "考试")
    expect(heading).to_have_text("考试")
    tab(phone, "学习")
    tab(phone, "首页")
    expect(heading).to_have_text("我的学习")


def test_a_wrong_address_shows_the_chinese_404_with_a_way_home(live_server, phone, sign_in):
    UserFactory(phone="13800000032", unit=OrgUnitFactory(code="V-404"), role=Role.CADRE)
    sign_in("13800000032")
    response = phone.goto(f"{live_server.url}/no-such-page/")
    assert response.status == 404
    expect(phone.locator("h1")).to_have_text("页面不存在")
    phone.locator("a", has_text="返回首页").tap()
    expect(phone.locator("h1")).to_have_text("我的学习")
