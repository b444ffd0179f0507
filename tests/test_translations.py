"""The zh-hans catalogue is complete and its compiled form (committed) matches it."""

import gettext
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_is_translated():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_source():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    def compiled_msgstr(entry):
        if entry.msgctxt:
            return compiled.pgettext(entry.msgctxt, entry.msgid)
        return compiled.gettext(entry.msgid)

    stale = [
        entry.msgid
        for entry in catalogue.translated_entries()
        if not entry.msgid_plural and compiled_msgstr(entry) != entry.msgstr
    ]
    assert stale == [], "run `make messages` and commit django.mo"


@pytest.mark.django_db
def test_model_choices_are_chinese():
    from django.utils import translation

    from lms.accounts.models import CadreCategory

    with translation.override("zh-hans"):
        assert str(CadreCategory.GRID_MANAGER.label) == "网格员"


@pytest.mark.parametrize(
    "msgid, wagtails",
    [("Type", "类型"), ("Pages", "页面"), ("History", "历史"), ("In progress", "进行中")],
)
def test_wagtails_own_words_keep_wagtails_translation(msgid, wagtails):
    """Our domain meanings (题型, 分页, 沿革, 学习中) live under a msgctxt, so Wagtail's page
    and media listings, menus and workflow states read as Wagtail translates them."""
    from django.utils import translation
    from django.utils.translation import gettext

    with translation.override("zh-hans"):
        assert gettext(msgid) == wagtails
