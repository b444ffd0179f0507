"""The zh-hans catalogue is complete and its compiled form (committed) matches it."""

import gettext
import re
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_is_translated():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    assert [entry.msgid for entry in catalogue.untranslated_entries()] == []
    assert [entry.msgid for entry in catalogue.fuzzy_entries()] == []


def _compiled(compiled, entry) -> str:
    # An entry with a context (pgettext) is looked up under it: the same msgid may mean
    # something else elsewhere.
    if entry.msgctxt:
        return compiled.pgettext(entry.msgctxt, entry.msgid)
    return compiled.gettext(entry.msgid)


def test_compiled_catalogue_matches_the_source():
    catalogue = polib.pofile(str(LOCALE / "django.po"))
    with open(LOCALE / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    stale = [
        entry.msgid
        for entry in catalogue.translated_entries()
        if not entry.msgid_plural and _compiled(compiled, entry) != entry.msgstr
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


SUPPLEMENT = LOCALE.parents[2] / "locale_vendor" / "zh_Hans" / "LC_MESSAGES"


def _packages_own_zh_hans(domain: str) -> set:
    """(msgctxt, msgid) of what installed packages translate themselves for zh-hans."""
    import django
    import wagtail

    site_packages = Path(wagtail.__file__).parents[1]
    own = set()
    for path in site_packages.glob(f"*/**/locale/zh_Hans/LC_MESSAGES/{domain}.po"):
        own |= {(e.msgctxt, e.msgid) for e in polib.pofile(str(path)) if e.translated()}
    assert Path(django.__file__).parent.is_relative_to(site_packages)
    return own


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_vendor_supplement_only_fills_gaps(domain):
    """locale_vendor/ translates what the packages' own zh_Hans catalogues leave in English
    (Wagtail's gaps, django-filter's zh_CN-only catalogue), nothing they translate
    themselves; its compiled form matches it."""
    own = _packages_own_zh_hans(domain)
    supplement = polib.pofile(str(SUPPLEMENT / f"{domain}.po"))
    assert [e.msgid for e in supplement if (e.msgctxt, e.msgid) in own] == []
    assert [e.msgid for e in supplement.untranslated_entries()] == []
    with open(SUPPLEMENT / f"{domain}.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    assert [
        e.msgid
        for e in supplement.translated_entries()
        if not e.msgid_plural and compiled.gettext(e.msgid) != e.msgstr
    ] == []


def test_the_admin_dashboard_strings_are_chinese():
    from django.utils import translation
    from django.utils.translation import gettext, ngettext

    with translation.override("zh-hans"):
        assert gettext("Search all pages…") == "搜索全部页面…"
        page = '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>'
        assert ngettext(page, page.replace("Page", "Pages"), 7).startswith("%(total)s 个页面")


def _packages_translations(domain: str) -> dict:
    """{(msgctxt, msgid): msgstrs} of what installed packages translate for zh-hans, and
    what locale_vendor/ translates for them."""
    import wagtail

    site_packages = Path(wagtail.__file__).parents[1]
    paths = [*site_packages.glob(f"*/**/locale/zh_Hans/LC_MESSAGES/{domain}.po")]
    paths.append(SUPPLEMENT / f"{domain}.po")
    theirs = {}
    for path in paths:
        for e in polib.pofile(str(path)):
            if e.translated():
                theirs.setdefault((e.msgctxt, e.msgid), set()).add(e.msgstr)
    return theirs


# Where our catalogue may translate a package's msgid its own way, and why; every domain
# meaning lives under a msgctxt (pgettext) or a msgid of our own, never here.
_MEDIA_FRENCH = "wagtailmedia's zh_Hans msgstr has French in it (ajouter un fichier, ou)"
_AUDIO, _VIDEO = (f'<a href="%(wagtailmedia_add_{kind}_url)s">' for kind in ("audio", "video"))
_UPLOAD = '<a href="%(wagtailmedia_add_url)s">upload one now</a>?'
OVERRIDES_ALLOWED: dict[str, str] = (
    {
        f"You haven't uploaded any media files{where}. You can upload {_AUDIO}audio</a> or "
        f"{_VIDEO}video</a> files.": _MEDIA_FRENCH
        for where in ("", " in this collection")
    }
    | {
        f"You haven't uploaded any media{where}. Why not {_UPLOAD}": _MEDIA_FRENCH
        for where in ("", " in this collection")
    }
    | {
        msgid: "spelling, not meaning: Wagtail's 帐号 where allauth and our strings write 账号"
        for msgid in ("Account", "Your account settings have been changed successfully!")
    }
)


def test_our_catalogue_never_retranslates_a_packages_msgid():
    """Ours comes first in LOCALE_PATHS, so a plain msgid that Wagtail or Django translate
    too is shown our way in their screens: "Reject" as 驳回 renamed Wagtail's workflow
    button, "Type" as 题型 its page listings. A domain meaning needs its own msgctxt."""
    theirs = _packages_translations("django")
    ours = polib.pofile(str(LOCALE / "django.po"))
    overridden = [
        f"{e.msgid!r}: ours {e.msgstr}, theirs {'/'.join(sorted(theirs[e.msgctxt, e.msgid]))}"
        for e in ours.translated_entries()
        if (e.msgctxt, e.msgid) in theirs
        and not e.msgid_plural
        and e.msgstr not in theirs[e.msgctxt, e.msgid]
        and e.msgid not in OVERRIDES_ALLOWED
    ]
    assert overridden == [], "use pgettext or a msgid of our own:\n" + "\n".join(overridden)


@pytest.mark.parametrize(
    "msgid, wagtails", [("Reject", "拒绝"), ("Rejected", "已拒绝"), ("Not started", "未启动")]
)
def test_wagtails_workflow_words_read_as_wagtail_translates_them(msgid, wagtails):
    from django.utils import translation
    from django.utils.translation import gettext, pgettext

    with translation.override("zh-hans"):
        assert gettext(msgid) == wagtails
        assert pgettext("bonus award", "Reject") == "驳回"


def test_every_wagtail_admin_string_has_a_chinese_translation():
    """Wagtail's own zh_Hans catalogue plus locale_vendor/ cover every msgid Wagtail ships:
    after a Wagtail upgrade this names the new strings left in English."""
    import wagtail

    site_packages = Path(wagtail.__file__).parents[1]
    translated = set(_packages_translations("django")) | set(_packages_translations("djangojs"))
    ours = {(e.msgctxt, e.msgid) for e in polib.pofile(str(LOCALE / "django.po"))}
    english = [
        e.msgid
        for path in site_packages.glob("wagtail/**/locale/en/LC_MESSAGES/*.po")
        for e in polib.pofile(str(path))
        if e.msgid and (e.msgctxt, e.msgid) not in translated | ours
    ]
    assert english == []


_PLACEHOLDER = re.compile(r"%\([^)]+\)[sdif]|%[sdif]|\{[a-zA-Z0-9_]*\}|<[^>]+>")
# The admin links nowhere outside the site (township networks are often offline or filtered).
_OUTSIDE_LINK_DROPPED = ("JavaScript is required to use Wagtail",)


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_supplement_keeps_every_placeholder(domain):
    """A translation that loses %(title)s or a tag breaks the admin screen it is shown on."""
    broken = []
    for e in polib.pofile(str(SUPPLEMENT / f"{domain}.po")).translated_entries():
        if e.msgid.startswith(_OUTSIDE_LINK_DROPPED):
            continue
        source = e.msgid_plural or e.msgid
        translations = e.msgstr_plural.values() if e.msgid_plural else [e.msgstr]
        for msgstr in translations:
            if set(_PLACEHOLDER.findall(source)) != set(_PLACEHOLDER.findall(msgstr)):
                broken.append(e.msgid)
    assert broken == []
