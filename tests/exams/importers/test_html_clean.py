"""The sanitiser against known filter-evasion strings: whatever goes in, what comes out can
run no script and load no active content."""

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exams.importers import html_clean
from exams.importers.html_clean import ALLOWED_ATTRS, ALLOWED_TAGS, sanitize_html

ALERT = "alert(1)"
EVASIONS = [
    # Mutation XSS: markup that reads differently once serialised and parsed again.
    f'<noscript><p title="</noscript><img src=x onerror={ALERT}>">',
    f"<svg><style><img src=x onerror={ALERT}>",
    f"<math><mtext><table><mglyph><style><img src=x onerror={ALERT}>",
    "<math><mtext><table><mglyph><style><!--</style>"
    f'<img title="--&gt;&lt;img src=1 onerror={ALERT}&gt;">',
    f'<svg></p><style><a id="</style><img src=1 onerror={ALERT}>">',
    "<form><math><mtext></form><form><mglyph><svg><mtext><style>"
    f'<path id="</style><img onerror={ALERT} src>">',
    f"<template><script>{ALERT}</script></template>",
    f"<xmp><img src=x onerror={ALERT}></xmp>",
    f"<listing>&lt;img src=x onerror={ALERT}&gt;</listing>",
    f"<!--><img src=x onerror={ALERT}>-->",
    f"<![CDATA[><img src=x onerror={ALERT}>]]>",
    # javascript: in its many spellings.
    f'<a href="jav&#x09;ascript:{ALERT}">x</a>',
    f'<a href="&#106;avascript:{ALERT}">x</a>',
    f'<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;{ALERT}">x</a>',
    f'<a href="JaVaScRiPt:{ALERT}">x</a>',
    f'<a href=" javascript:{ALERT}">x</a>',
    f'<a href="java\nscript:{ALERT}">x</a>',
    f'<a href="java\x00script:{ALERT}">x</a>',
    f'<a href="javascript&colon;{ALERT}">x</a>',
    f"<img src=`javascript:{ALERT}`>",
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>">',
    '<img src="DaTa:image/png;base64,iVBORw0KGgo=">',
    # style: url() and expression().
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width:expression(alert(1))">x</div>',
    "<span style=\"background-image:url('data:image/svg+xml,<svg onload=alert(1)>')\">x</span>",
    "<style>@import 'javascript:alert(1)';</style>x",
    # Event handlers, in every spelling a parser accepts.
    f"<img src=x onerror={ALERT}>",
    f"<img src=x ONERROR={ALERT}>",
    f"<img/src=x/onerror={ALERT}>",
    f'<p onmouseover="{ALERT}">x</p>',
    f"<body onload={ALERT}>x",
    f"<details open ontoggle={ALERT}>x</details>",
    f"<video><source onerror={ALERT}></video>",
    f"<marquee onstart={ALERT}>x</marquee>",
    f'<a href="https://example.org" onclick="{ALERT}">x</a>',
    # Active content and page-level elements.
    f"<script>{ALERT}</script>",
    f"<ScRiPt>{ALERT}</sCrIpT>",
    f"<scr<script>ipt>{ALERT}</script>",
    f'<iframe src="javascript:{ALERT}"></iframe>',
    f'<iframe srcdoc="<script>{ALERT}</script>"></iframe>',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    f'<form action="javascript:{ALERT}"><button>go</button></form>',
    f'<button formaction="javascript:{ALERT}">go</button>',
    f'<input type="image" src="x" onerror="{ALERT}">',
    f'<svg><a xlink:href="javascript:{ALERT}"><text>x</text></a></svg>',
    f'<svg><animate onbegin="{ALERT}" attributeName="x"/></svg>',
    f'<math href="javascript:{ALERT}">x</math>',
    f'<frameset><frame src="javascript:{ALERT}"></frameset>',
    f'<isindex action="javascript:{ALERT}" type=image>',
    f'<a href="https://example.org"\x0bonclick="{ALERT}">x</a>',
]
FORBIDDEN_TAGS = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "base", "meta", "form",
    "link", "frame", "frameset", "noscript", "template", "input", "button", "video", "source",
}  # fmt: skip
SAFE_SCHEMES = {"http", "https", "mailto"}


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def elements(markup: str):
    parser = _Elements()
    parser.feed(markup)
    parser.close()
    return parser.found


def scheme(url: str) -> str | None:
    # As a browser reads a URL: control characters and whitespace do not count.
    compact = re.sub(r"[\x00-\x20\x7f]+", "", url)
    match = re.match(r"([a-zA-Z][a-zA-Z0-9+.\-]*):", compact)
    return match.group(1).lower() if match else None


def assert_inert(markup: str) -> None:
    for tag, attrs in elements(markup):
        assert tag in ALLOWED_TAGS and tag not in FORBIDDEN_TAGS, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            assert name != "style", tag
            assert name in ALLOWED_ATTRS.get(tag, ()), (tag, name)
            if name in ("href", "src"):
                assert scheme(value or "") in (None, *SAFE_SCHEMES), (tag, value)
    # Nothing that a browser could read as a tag is left in the text either.
    assert not re.search(r"<\s*/?\s*(script|style|svg|math|iframe|object|embed)", markup, re.I)


@pytest.mark.parametrize("raw", EVASIONS)
def test_evasion_comes_out_inert(raw):
    cleaned = sanitize_html(raw)
    assert_inert(cleaned)
    assert sanitize_html(cleaned) == cleaned


def test_whole_corpus_at_once_comes_out_inert():
    """The strings one after another: one string's leftovers cannot complete the next."""
    assert_inert(sanitize_html("".join(EVASIONS)))


@pytest.mark.parametrize(
    "markup",
    [
        '<p>依据<a href="https://flk.npc.gov.cn/x" title="法规库">第三条</a></p>',
        '<img src="@@PLUGINFILE@@/a%20b.png" alt="图">',
        '<img src="/media/original_images/a.png" alt="" width="20" height="10">',
        '<a href="mailto:a@example.org">信</a>',
        '<table><tbody><tr><th colspan="2">表</th></tr><tr><td rowspan="1">1</td></tr></tbody>'
        "</table>",
        '<ol start="3"><li>丙</li></ol>',
        "<p>甲\xa0乙</p>",
    ],
)
def test_what_questions_need_is_kept(markup):
    assert sanitize_html(markup) == markup


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ('<p style="x" onclick="y">a<script>z</script></p>', "<p>a</p>"),
        ('<img src="javascript:x" alt="a">', '<img alt="a">'),
        ('<a href="java\tscript:x">l</a>', "<a>l</a>"),
        ('<a href="https://flk.npc.gov.cn">l</a>', '<a href="https://flk.npc.gov.cn">l</a>'),
        ("<b>unclosed", "<b>unclosed</b>"),
        ("<iframe>bad</iframe>ok", "ok"),
        ("x > 1 & y", "x &gt; 1 &amp; y"),
        ("<p>甲&nbsp;乙</p>", "<p>甲\xa0乙</p>"),
        # Dropped: attributes nobody allowed, comments, unknown tags (their text stays).
        ('<p lang="zh" title="t" class="c" id="i">x</p>', "<p>x</p>"),
        ("a<!-- note -->b", "ab"),
        ("<font color=red>红</font>", "红"),
        ('<img src="x" data-src="y" srcset="z 2x">', '<img src="x">'),
    ],
)
def test_sanitize_html(raw, expected):
    assert sanitize_html(raw) == expected


@given(st.text())
def test_sanitize_is_idempotent(raw):
    once = sanitize_html(raw)
    assert sanitize_html(once) == once


def test_markup_that_never_settles_falls_back_to_its_text(monkeypatch):
    # Dropping <form> here changes how the second <li> nests, so one pass is not stable.
    monkeypatch.setattr(html_clean, "_MAX_PASSES", 0)
    assert sanitize_html("<li><form><li>a &amp; b") == "a &amp; b"


def test_references_to_dropped_files_go_in_either_spelling():
    kept = '<img src="@@PLUGINFILE@@/k.png" alt="">'
    for written in ("it's.mp3", "it&#x27;s.mp3"):
        ref = f"@@PLUGINFILE@@/{written}"
        value = f'<p>a<img src="{ref}" alt="">{kept}<a href="{ref}">听</a></p>'
        assert html_clean.unlink_files(value, {"it's.mp3"}) == f"<p>a{kept}听</p>"
