"""Steps shared by the staff's click-only browser tests: what a page shows, read as the
person reads it (a heading, no 500, no English), and a screenshot of each key step."""

import os
import re
from pathlib import Path

from tests.visible_text import english_words

# Wagtail's admin names itself and its parts in these; each is allowed with why.
ALLOWED_ENGLISH = {
    "Wagtail",  # the "Wagtail" logo's alt text is the product's name, as a brand
    "English",  # the site's language switch names the other language in it (lang="en")
    "Moodle",  # 导出 Moodle XML: the file format other platforms import, by its name
    "XML",
    "GIFT",  # the import page names the formats and encodings it reads
    "UTF",
    "GBK",
}


class StaffBrowser:
    """One signed-in person's page, with every response's status watched."""

    def __init__(self, page, shots: Path, who: str):
        self.page, self.shots, self.who = page, shots, who
        self.server_errors: list[str] = []
        page.on(
            "response",
            lambda response: (
                response.status >= 500
                and self.server_errors.append(f"{response.status} {response.url}")
            ),
        )
        self.step = 0

    def sees(self, heading: str, *, shot: str | None = None) -> str:
        """The page's main heading holds `heading`; nothing answered 500; no English."""
        page = self.page
        page.wait_for_load_state("domcontentloaded")
        try:
            page.wait_for_selector(f"h1:has-text('{heading}'), h2:has-text('{heading}')")
        except Exception as error:
            raise AssertionError(
                f"no heading {heading!r} on {page.url}:\n{page.inner_text('body')[:3000]}"
            ) from error
        assert not self.server_errors, self.server_errors
        # What is rendered, as a person sees it: Wagtail keeps closed dialogs (its keyboard
        # shortcuts) in the markup, unseen until opened.
        words = english_words(page.inner_text("body"), ALLOWED_ENGLISH)
        assert not words, f"English on {page.url}: {sorted(words)}"
        if shot:
            self.step += 1
            page.screenshot(path=str(self.shots / f"{self.who}-{self.step:02d}-{shot}.png"))
        return page.inner_text("body")

    def message(self, text: str) -> None:
        """A Wagtail or site message (success, warning, error) says `text`."""
        try:
            self.page.wait_for_selector(f".messages :text('{text}'), .messages:has-text('{text}')")
        except Exception as error:
            shown = [m.inner_text() for m in self.page.locator(".messages").all()]
            raise AssertionError(f"no message {text!r} on {self.page.url}: {shown}") from error


def shots_dir(tmp_path) -> Path:
    """Screenshots under $E2E_SCREENSHOTS when set (to look at them), else the test's tmp."""
    path = Path(os.environ.get("E2E_SCREENSHOTS") or tmp_path)
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)
