"""The filter-evasion corpus, cleaned, read by a real browser: Chromium's parser (the one
mutation XSS aims at) finds no handler, no script URL and no active element, and nothing
runs."""

import pytest

from exams.importers.html_clean import sanitize_html
from tests.exams.importers.test_html_clean import EVASIONS

pytestmark = pytest.mark.e2e

FIND_ACTIVE = """() => {
  const found = [];
  for (const el of document.body.querySelectorAll("*")) {
    if (/^(script|style|iframe|object|embed|svg|math|base|meta|form|link|frame)$/i
        .test(el.localName)) found.push(el.localName);
    for (const attr of el.attributes) {
      if (/^on/i.test(attr.name) || attr.name === "style") found.push(attr.name);
    }
    for (const url of [el.href, el.src]) {
      if (typeof url === "string" && /^(javascript|vbscript|data):/i.test(url)) found.push(url);
    }
  }
  return found;
}"""


def test_cleaned_corpus_is_inert_in_chromium(phone):
    ran = []
    phone.expose_function("reportRun", lambda: ran.append(True))
    phone.add_init_script("window.alert = () => window.reportRun();")
    for raw in EVASIONS:
        phone.set_content(f"<!doctype html><body>{sanitize_html(raw)}</body>")
        assert phone.evaluate(FIND_ACTIVE) == [], raw
    phone.set_content(f"<!doctype html><body>{sanitize_html(''.join(EVASIONS))}</body>")
    assert phone.evaluate(FIND_ACTIVE) == []
    phone.wait_for_timeout(300)
    assert ran == []
