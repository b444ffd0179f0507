"""保存图片: the certificate as a PNG for phones that cannot print, drawn in a Chinese
font found on the machine; for its owner only; a clear message without such a font."""

import io

import pytest
from django.test import Client
from django.urls import reverse
from PIL import Image, ImageDraw

from exams.services import certificate_image
from exams.services.attempts import attempt_grade, attempt_start
from tests.conftest import client_for
from tests.exams import exam_builders as build

pytestmark = pytest.mark.django_db

needs_cjk_font = pytest.mark.skipif(
    certificate_image.cjk_font_path() is None,
    reason="no CJK font on this machine (apt-get install fonts-noto-cjk, as .ci/run does)",
)


@pytest.fixture
def passed(cadre):
    cadre.name = "王建国"
    cadre.save()
    return build.passed_attempt(cadre, title="2026年度学法考试")


@needs_cjk_font
def test_the_owner_gets_an_a4_picture(cadre, passed):
    response = client_for(cadre).get(reverse("certificate_image", args=[passed.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert passed.certificate_code in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (certificate_image.WIDTH, certificate_image.HEIGHT)
    # Something besides the border was drawn: the text.
    assert len(image.getcolors(maxcolors=1 << 16) or []) > 10


@needs_cjk_font
def test_the_font_draws_chinese_not_boxes():
    font = certificate_image._font(certificate_image.cjk_font_path(), 40)

    def drawn(char):
        image = Image.new("L", (48, 48), 0)
        ImageDraw.Draw(image).text((4, 0), char, font=font, fill=255)
        return image.tobytes()

    # A missing glyph draws the same box for every character; real glyphs differ.
    assert drawn("证") != drawn("书") and any(drawn("证"))


def test_nobody_else_gets_it(other_cadre, passed):
    url = reverse("certificate_image", args=[passed.pk])
    assert client_for(other_cadre).get(url).status_code == 404
    assert Client().get(url).status_code == 302


def test_no_picture_without_a_certificate(cadre):
    paper = build.exam(questions=[build.question()], certificates=True, title="没通过")
    failed = attempt_grade(attempt_id=attempt_start(exam=paper, user=cadre).pk)
    url = reverse("certificate_image", args=[failed.pk])
    assert client_for(cadre).get(url).status_code == 404


def test_without_a_chinese_font_the_cadre_is_told_in_chinese(cadre, passed, monkeypatch):
    monkeypatch.setattr(certificate_image, "cjk_font_path", lambda: None)
    client = client_for(cadre)
    response = client.get(reverse("certificate_image", args=[passed.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("certificate", args=[passed.pk])
    html = client.get(response["Location"]).content.decode()
    assert "没有中文字体" in html and "截屏" in html
