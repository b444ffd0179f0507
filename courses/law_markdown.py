"""Parser for the LawRefBook-style Markdown law texts shipped in ``courses/data/laws/``.

Pure Python on purpose (no Django import): it runs in management commands, in the
admin import form and in plain unit tests alike.

File layout (see ``courses/data/laws/README.md`` for the traps):

    # 中华人民共和国民法典          <- title
    # 合同编                        <- optional second H1 (Civil Code books)
    2020年5月28日 …通过             <- history lines
    2021年1月1日 施行               <- optional effective-date line
    <!-- INFO END -->
    ## 第一分编  通则               <- structure headings, levels vary per file
    ### 第一章  一般规定
    第四百六十三条 本编调整……       <- one article, further paragraphs follow

Real texts add shapes the parser takes too: a preamble before the first article (the
Constitution's 序言, a judicial interpretation's purpose paragraph), appendices after the
last one (## 附件一), inserted articles (第一百二十条之一), amending acts whose units are
numbered items (一、将刑法第十七条修改为：……) instead of articles, headings wrapped over two
lines, zero-width characters and Windows line ends.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

__all__ = [
    "LawFormatError",
    "ParsedAppendix",
    "ParsedArticle",
    "ParsedLaw",
    "chinese_numeral_to_int",
    "int_to_chinese_numeral",
    "parse_law_markdown",
]


class LawFormatError(ValueError):
    """A law text that cannot be parsed; the message is shown to editors as is."""

    def __init__(self, line: int, reason: str):
        self.line = line
        self.reason = reason
        super().__init__(_("Line %(line)s: %(reason)s") % {"line": line, "reason": reason})


@dataclass
class ParsedArticle:
    number: int
    label: str
    text: str
    part: str = ""
    chapter: str = ""
    section: str = ""


@dataclass
class ParsedAppendix:
    title: str
    text: str


@dataclass
class ParsedLaw:
    title: str
    history: list[str] = field(default_factory=list)
    articles: list[ParsedArticle] = field(default_factory=list)
    promulgation_date: date | None = None
    effective_date: date | None = None
    preamble: str = ""
    appendices: list[ParsedAppendix] = field(default_factory=list)
    # An amending act (修正案, 关于修改……的决定): its units are numbered items, kept as
    # articles 第一条, 第二条… (as they are cited), and `amends` names the law it changes.
    is_amendment: bool = False
    amends: str = ""


# --- Chinese numerals -------------------------------------------------------------

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_DIGITS.update({"七": 7, "八": 8, "九": 9})
_UNITS = {"十": 10, "百": 100, "千": 1000}
_DIGIT_CHARS = "一二三四五六七八九"
_MAX_NUMERAL = 9999


def chinese_numeral_to_int(s: str) -> int:
    """Convert a Chinese numeral below 10000 (``一千二百六十`` -> 1260).

    Deliberately strict, because the parser uses it to catch typos in article labels:
    ``十十``, ``一二``, ``一百五`` (ambiguous: 105 or 150) or ``一千二十`` (missing 零)
    raise ``ValueError``. Accepted variants: ``两`` for 2, ``〇`` for 零, ``一十`` at the
    start.
    """
    if not s:
        raise ValueError("空的中文数字")
    if s in ("零", "〇"):
        return 0

    total = 0
    last_unit = 10_000  # the unit of the previous term; terms must get smaller
    digit: int | None = None  # digit waiting for its unit
    zero_seen = False

    def add_term(unit: int, value: int) -> None:
        nonlocal total, last_unit, zero_seen
        if unit >= last_unit:
            raise ValueError(f"数位顺序错误：{s}")
        skips_a_place = unit * 10 < last_unit and last_unit != 10_000
        if skips_a_place != zero_seen:
            # 一千零五 needs its 零, 一千零五百 must not have one
            raise ValueError(f"“零”的用法错误：{s}")
        total += value * unit
        last_unit = unit
        zero_seen = False

    for index, char in enumerate(s):
        if char in _DIGITS and _DIGITS[char] == 0:
            if digit is not None or zero_seen or index == 0:
                raise ValueError(f"“零”的位置错误：{s}")
            zero_seen = True
        elif char in _DIGITS:
            if digit is not None:
                raise ValueError(f"数字相连：{s}")
            digit = _DIGITS[char]
        elif char in _UNITS:
            unit = _UNITS[char]
            if digit is None:
                # only the leading 十 of 十/十五 may stand without a digit
                if not (index == 0 and unit == 10):
                    raise ValueError(f"数位前缺少数字：{s}")
                digit = 1
            add_term(unit, digit)
            digit = None
        else:
            raise ValueError(f"不是中文数字：{s}")

    if zero_seen and digit is None:
        raise ValueError(f"“零”不能在末尾：{s}")
    if digit is not None:
        if last_unit in (100, 1000) and not zero_seen:
            raise ValueError(f"数位不明确：{s}")  # 一百五 could mean 105 or 150
        add_term(1, digit)
    return total


def int_to_chinese_numeral(n: int) -> str:
    """Inverse of :func:`chinese_numeral_to_int`, in the form used by statutes."""
    if not 0 <= n <= _MAX_NUMERAL:
        raise ValueError(f"超出范围（0–{_MAX_NUMERAL}）：{n}")
    if n == 0:
        return "零"
    parts: list[str] = []
    pending_zero = False
    for unit, unit_char in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // unit % 10
        if d == 0:
            pending_zero = bool(parts)
            continue
        if pending_zero:
            parts.append("零")
            pending_zero = False
        parts.append(_DIGIT_CHARS[d - 1] + unit_char)
    result = "".join(parts)
    # statutes write 第十条 / 第十五条, but 第一百一十条
    return result[1:] if 10 <= n < 20 else result


# --- Line patterns ---------------------------------------------------------------

_NUMERAL_CLASS = "零〇一二两三四五六七八九十百千万0-9０-９"
# Anything shaped like an article label, even with a bad numeral, so that typos are
# reported instead of silently becoming part of the previous article. The label must
# be followed by whitespace or the end of the line: paragraphs such as
# "第三人单方以书面形式…" (合同编) are ordinary text.
_ARTICLE_RE = re.compile(
    rf"^第(?P<num>[{_NUMERAL_CLASS}]+)条(?P<suffix>之[一二三四五六七八九十]+)?(?:\s+(?P<text>.*))?$"
)
# 一、将刑法第十七条修改为：…… : an amending act's item (never inside quotes: those start “).
_ITEM_RE = re.compile(r"^(?P<num>[一二三四五六七八九十百]+)、(?P<text>.+)$")
# 附件一, 附录, 附表2 — but not 附则, the chapter of final provisions.
_APPENDIX_RE = re.compile(r"^附(?:件|录|表)(?:[一二三四五六七八九十0-9０-９]|\s|：|:|$)")
# A heading that breaks off here goes on in the next line (烟草专卖法's 第五章).
_HEADING_CONTINUES = tuple("、，,与和及或以")
_ZERO_WIDTH_RE = re.compile("[\u200b\u200c\u200d\u2060\ufeff]")
_AMENDS_RE = re.compile(r"关于修改《(?P<law>[^》]+)》|^(?P<title>.+?)修正案")
_HEADING_RE = re.compile(r"^(?P<hashes>#{1,6})(?:\s+(?P<text>.*?))?\s*#*\s*$")
_INFO_END_RE = re.compile(r"^<!--\s*INFO\s+END\s*-->$", re.IGNORECASE)
_COMMENT_RE = re.compile(r"^<!--.*-->$")
_STRUCTURE_RE = re.compile(
    r"^(?P<label>第[零〇一二两三四五六七八九十百千]+(?P<kind>分编|编|章|节))\s*(?P<rest>.*)$"
)
_CJK = r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]"
_CJK_GAP_RE = re.compile(rf"(?<={_CJK}) (?={_CJK})")
_DATE_RE = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_EFFECTIVE_LINE_RE = re.compile(
    r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:起\s*)?施行$"
)
_EFFECTIVE_ARTICLE_RE = re.compile(
    r"本(?:法|编|条例|规定|办法|决定|修正案|解释)自(?:(\d{4})年(\d{1,2})月(\d{1,2})日|(公布之日))起施行"
)


def _normalise_heading(text: str) -> str:
    """``第一章　总  则`` -> ``第一章 总则``.

    The files pad headings with U+3000, U+2002 and doubled spaces for typographic
    reasons only, so whitespace between two Chinese characters carries no meaning.
    """
    text = " ".join(text.split())
    match = _STRUCTURE_RE.match(text)
    if match:
        rest = _CJK_GAP_RE.sub("", match["rest"])
        return f"{match['label']} {rest}" if rest else match["label"]
    return _CJK_GAP_RE.sub("", text)


def _make_date(line_no: int, year: str, month: str, day: str) -> date:
    try:
        return date(int(year), int(month), int(day))
    except ValueError:
        raise LawFormatError(
            line_no,
            _("Invalid date: %(year)s-%(month)s-%(day)s")
            % {"year": year, "month": month, "day": day},
        ) from None


# --- Parser ----------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str):
        self.lines = (
            _ZERO_WIDTH_RE.sub("", text).replace("\r\n", "\n").replace("\r", "\n").split("\n")
        )
        self.title_parts: list[str] = []
        self.history: list[str] = []
        self.history_dates: list[date] = []
        self.header_effective: date | None = None
        self.articles: list[ParsedArticle] = []
        self.current: ParsedArticle | None = None  # the article being read
        self.paragraphs: list[str] = []  # its paragraphs so far
        self.article_lines: list[int] = []  # line number of each article's label
        self.last_key = (0, 0)  # (number, 之N suffix) of the previous article
        self.part = self.chapter = self.section = ""
        self.uses_parts = False
        self.preamble: list[str] = []
        self.appendices: list[ParsedAppendix] = []
        self.structure_seen = False  # a 第X编/章/节 heading: no preamble after it
        self.is_amendment = False

    # header ---------------------------------------------------------------------

    def parse(self) -> ParsedLaw:
        if not any(line.strip() for line in self.lines):
            raise LawFormatError(1, _("The text is empty: there is nothing in it"))
        body_start = self._parse_header()
        self.uses_parts = any(
            "分编" in (m["text"] or "")
            for m in map(_HEADING_RE.match, self.lines[body_start:])
            if m
        )
        body = [line.strip() for line in self.lines[body_start:]]
        self.is_amendment = not any(map(_ARTICLE_RE.match, body)) and any(map(_ITEM_RE.match, body))
        self._parse_body(body_start)
        if not self.articles:
            raise LawFormatError(
                len(self.lines),
                _(
                    "No article found in the whole text (articles start like “第一条 ”, "
                    "an amending act’s items like “一、”)"
                ),
            )
        title = " ".join(self.title_parts)
        amends = _AMENDS_RE.search(title) if self.is_amendment else None
        return ParsedLaw(
            title=title,
            history=self.history,
            articles=self.articles,
            promulgation_date=self.history_dates[-1] if self.history_dates else None,
            effective_date=self._effective_date(),
            preamble="\n".join(self.preamble),
            appendices=self.appendices,
            is_amendment=self.is_amendment,
            amends=(amends["law"] or amends["title"]) if amends else "",
        )

    def _parse_header(self) -> int:
        """Read title and history; return the index of the first body line."""
        index = next(i for i, line in enumerate(self.lines) if line.strip())
        first = _HEADING_RE.match(self.lines[index].strip())
        if not first or len(first["hashes"]) != 1 or not first["text"]:
            raise LawFormatError(
                index + 1, _("No title: the first line must be “# name of the law”")
            )
        self.title_parts.append(" ".join(first["text"].split()))

        has_marker = any(_INFO_END_RE.match(line.strip()) for line in self.lines)
        for i in range(index + 1, len(self.lines)):
            line = self.lines[i].strip()
            if not line:
                continue
            if _INFO_END_RE.match(line):
                return i + 1
            heading = _HEADING_RE.match(line)
            if not has_marker and (
                _ARTICLE_RE.match(line) or (heading and len(heading["hashes"]) > 1)
            ):
                # Files without the marker: metadata ends where the structure begins.
                return i
            if heading and len(heading["hashes"]) == 1:
                if heading["text"]:
                    self.title_parts.append(" ".join(heading["text"].split()))
                continue
            if heading or _COMMENT_RE.match(line):
                continue
            effective = _EFFECTIVE_LINE_RE.match(line)
            if effective:
                # "2021年1月1日 施行" is not part of the legislative history; counting it
                # would make the Civil Code's promulgation date 2021-01-01.
                self.header_effective = _make_date(i + 1, *effective.groups())
                continue
            self.history.append(" ".join(line.split()))
            dates = _DATE_RE.findall(line)
            if dates:
                self.history_dates.append(_make_date(i + 1, *dates[-1]))
        return len(self.lines)

    # body -----------------------------------------------------------------------

    def _parse_body(self, start: int) -> None:
        last_heading = ""
        # The heading just read, while nothing else has followed it: (level, raw text).
        open_heading: tuple[int, str] | None = None
        for i in range(start, len(self.lines)):
            line_no = i + 1
            line = self.lines[i].strip()
            if not line or _COMMENT_RE.match(line):
                continue
            if self.appendices:
                # After 附件一 everything is appendix text, tables and lists included.
                self._appendix_line(line)
                continue
            heading = _HEADING_RE.match(line)
            if heading:
                text = heading["text"] or ""
                self._finish_article()
                if self.articles and _APPENDIX_RE.match(" ".join(text.split())):
                    self.appendices.append(ParsedAppendix(" ".join(text.split()), ""))
                    continue
                last_heading = self._heading(line_no, len(heading["hashes"]), text)
                open_heading = (len(heading["hashes"]), text)
                continue
            if open_heading and open_heading[1].rstrip().endswith(_HEADING_CONTINUES):
                # "## 第五章 卷烟纸、滤嘴棒、烟用丝束、" / "烟草专用机械的生产和销售"
                open_heading = (open_heading[0], open_heading[1].rstrip() + line)
                last_heading = self._heading(line_no, *open_heading)
                continue
            open_heading = None
            article = _ITEM_RE.match(line) if self.is_amendment else _ARTICLE_RE.match(line)
            if article:
                self._finish_article()
                self._start_article(line_no, article)
                continue
            if self.current is None and not self.articles and not self.structure_seen:
                # The Constitution's 序言, an interpretation's purpose, a promulgation note.
                self.preamble.append(line)
                continue
            if self.current is None:
                preview = line if len(line) <= 20 else line[:20] + "……"
                where = (
                    _("before the first article")
                    if not self.articles
                    else _("after the heading “%(heading)s”") % {"heading": last_heading}
                )
                raise LawFormatError(
                    line_no,
                    _("Text %(where)s that belongs to no article: “%(text)s”")
                    % {"where": where, "text": preview},
                )
            # Every non-blank line is a paragraph (款 or 项) of the current article.
            self.paragraphs.append(line)
        self._finish_article()

    def _appendix_line(self, line: str) -> None:
        heading = _HEADING_RE.match(line)
        text = " ".join((heading["text"] or "").split()) if heading else line
        if heading and _APPENDIX_RE.match(text):
            self.appendices.append(ParsedAppendix(text, ""))
            return
        appendix = self.appendices[-1]
        appendix.text = f"{appendix.text}\n{text}" if appendix.text else text

    def _heading(self, line_no: int, level: int, raw: str) -> str:
        text = _normalise_heading(raw)
        if not text:
            # 民法典/附则.md has an empty "##": it carries no structure, so ignore it.
            return text
        if level == 1:
            raise LawFormatError(
                line_no, _("A first-level heading inside the text: “%(text)s”") % {"text": text}
            )
        if text == "序言" and not self.articles:
            return text
        match = _STRUCTURE_RE.match(text)
        if match:
            kind = match["kind"]
            self.structure_seen = True
        else:
            # A heading without 第X章/第X节 (e.g. a bare "附则"): go by its level, which
            # shifts down by one in books that have 分编.
            offset = 1 if self.uses_parts else 0
            kind = {2 + offset: "章"}.get(level) or ("分编" if level < 2 + offset else "节")
        if kind in ("分编", "编"):
            self.part, self.chapter, self.section = text, "", ""
        elif kind == "章":
            self.chapter, self.section = text, ""
        else:
            self.section = text
        return text

    def _start_article(self, line_no: int, match: re.Match[str]) -> None:
        numeral, suffix = match["num"], match.groupdict().get("suffix") or ""
        label = f"第{numeral}条{suffix}"
        try:
            number = chinese_numeral_to_int(numeral)
            suffix_number = chinese_numeral_to_int(suffix[1:]) if suffix else 0
        except ValueError:
            number = suffix_number = 0
        if number == 0 or (suffix and suffix_number == 0):
            raise LawFormatError(
                line_no,
                _("The number in the article label “%(label)s” is invalid") % {"label": label},
            )

        key = (number, suffix_number)
        if self.articles:
            previous = self.articles[-1]
            prev_number, prev_suffix = self.last_key
            # 第十条之一 follows 第十条, 第十条之二 follows 第十条之一; all keep number 10.
            expected = (prev_number, prev_suffix + 1) if suffix else (prev_number + 1, 0)
            ok = key == expected
            if not ok:
                message = (
                    _("Article number repeated: %(previous)s is followed by %(label)s")
                    if key <= self.last_key
                    else _("Article numbers not consecutive: %(previous)s is followed by %(label)s")
                )
                raise LawFormatError(
                    line_no, message % {"previous": previous.label, "label": label}
                )
        elif suffix:
            raise LawFormatError(
                line_no,
                _("Article numbers not consecutive: no 第%(numeral)s条 before %(label)s")
                % {"numeral": numeral, "label": label},
            )

        self.last_key = key
        self.current = ParsedArticle(
            number=number,
            label=label,
            text="",
            part=self.part,
            chapter=self.chapter,
            section=self.section,
        )
        self.article_lines.append(line_no)
        self.articles.append(self.current)
        if match["text"]:
            self.paragraphs.append(match["text"].strip())

    def _finish_article(self) -> None:
        if self.current is None:
            return
        if not self.paragraphs:
            raise LawFormatError(
                self.article_lines[-1],
                _("%(label)s has no text") % {"label": self.current.label},
            )
        self.current.text = "\n".join(self.paragraphs)
        self.current = None
        self.paragraphs = []

    def _effective_date(self) -> date | None:
        for article, line_no in zip(
            reversed(self.articles), reversed(self.article_lines), strict=True
        ):
            match = _EFFECTIVE_ARTICLE_RE.search(article.text)
            if not match:
                continue
            if match[4]:  # 本法自公布之日起施行
                return self.history_dates[-1] if self.history_dates else None
            return _make_date(line_no, match[1], match[2], match[3])
        return self.header_effective


def parse_law_markdown(text: str) -> ParsedLaw:
    """Parse one law file. Raises :class:`LawFormatError` with a Chinese message."""
    return _Parser(text).parse()
