"""The certificate as a PNG for phones that cannot print ("保存图片"): drawn with Pillow
in a Chinese font found on the machine at run time.

A PNG rather than a PDF: Pillow is already a dependency and reads the .ttc collections
that Debian's fonts-noto-cjk ships, which the pure-Python PDF writers do not reliably
embed. Without any CJK font the image cannot be drawn (boxes instead of characters), so
the caller is told and says so in Chinese instead of sending a broken picture.
"""

import glob
import io
from pathlib import Path

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from PIL import Image, ImageDraw, ImageFont

# A4 portrait at 150 dpi: prints on one sheet and stays readable on a phone's screen.
WIDTH, HEIGHT = 1240, 1754
MARGIN = 110
RED, INK, GREY, PAPER = (179, 38, 30), (29, 35, 41), (91, 102, 112), (255, 255, 255)

# Where Debian (fonts-noto-cjk, fonts-wqy-*), macOS and Windows keep a Simplified
# Chinese font; then any Noto CJK or WenQuanYi file under the system font folders.
FONT_CANDIDATES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
FONT_GLOBS = ("/usr/share/fonts/**/*CJK*", "/usr/share/fonts/**/wqy*")


class FontMissing(Exception):
    """No font on this machine can draw Chinese."""


def cjk_font_path() -> str | None:
    for candidate in FONT_CANDIDATES:
        if Path(candidate).is_file():
            return candidate
    for pattern in FONT_GLOBS:
        found = sorted(glob.glob(pattern, recursive=True))
        if found:
            return found[0]
    return None


def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    """The collection's Simplified Chinese face when it has one (Noto CJK's first face
    is Japanese, whose forms of some characters differ)."""
    first = ImageFont.truetype(path, size, index=0)
    if not path.lower().endswith(".ttc"):
        return first
    for index in range(1, 10):
        try:
            face = ImageFont.truetype(path, size, index=index)
        except OSError:
            break
        if " SC" in (face.getname()[0] or ""):
            return face
    return first


def _wrap(draw, text: str, font, width: int) -> list[str]:
    """Lines of `text` no wider than `width`; Chinese breaks between any two characters."""
    lines, line = [], ""
    for char in text:
        if draw.textlength(line + char, font=font) > width and line:
            lines.append(line)
            line = char
        else:
            line += char
    return [*lines, line] if line else lines


def certificate_png(*, attempt, verify_url: str) -> bytes:
    """The certificate of a passed attempt (see certificate_of) as PNG bytes."""
    path = cjk_font_path()
    if path is None:
        raise FontMissing
    title_font, body_font, small_font = _font(path, 96), _font(path, 44), _font(path, 30)
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle((40, 40, WIDTH - 40, HEIGHT - 40), outline=RED, width=8)
    draw.rectangle((62, 62, WIDTH - 62, HEIGHT - 62), outline=RED, width=2)
    text_width = WIDTH - 2 * MARGIN

    cadre, exam = attempt.user, attempt.exam
    y = 230
    draw.text((WIDTH // 2, y), _("Certificate"), font=title_font, fill=RED, anchor="mt")
    y += 220
    sentence = _("%(name)s passed %(exam)s.") % {"name": cadre.get_full_name(), "exam": exam.title}
    for line in _wrap(draw, sentence, body_font, text_width):
        draw.text((WIDTH // 2, y), line, font=body_font, fill=INK, anchor="mt")
        y += 68
    y += 70
    facts = [
        (pgettext("person", "Name"), cadre.get_full_name()),
        (_("Unit"), str(cadre.unit) if cadre.unit else "—"),
        (_("Exam"), exam.title),
        (
            _("Score"),
            _("%(score)s / %(max)s points")
            % {"score": _number(attempt.score), "max": _number(attempt.max_score)},
        ),
        (_("Date"), timezone.localdate(attempt.submitted_at).strftime("%Y-%m-%d")),
        (_("Verification code"), attempt.certificate_code),
    ]
    label_width = max(draw.textlength(label, font=body_font) for label, _v in facts) + 40
    for label, value in facts:
        draw.text((MARGIN, y), label, font=body_font, fill=GREY)
        for line in _wrap(draw, value, body_font, text_width - label_width):
            draw.text((MARGIN + label_width, y), line, font=body_font, fill=INK)
            y += 66
        y += 14
    y = max(y + 60, HEIGHT - 300)
    check = _("Check this certificate at") + " " + verify_url
    for line in _wrap(draw, check, small_font, text_width):
        draw.text((WIDTH // 2, y), line, font=small_font, fill=GREY, anchor="mt")
        y += 46
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _number(value) -> str:
    """100.0 -> "100", 97.5 -> "97.5": the figures the certificate page shows."""
    text = f"{value or 0:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
