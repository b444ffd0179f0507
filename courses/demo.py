"""Demo law study: real law texts, a course on the new laws of 2021 with a short video,
training sessions, and some progress for the demo cadre (idempotent)."""

import json
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.models import Site
from wagtailmedia.models import get_media_model

from courses.authoring import catalogue_authoring_ensure
from courses.models import (
    CourseIndexPage,
    CoursePage,
    Law,
    LessonPage,
    LessonProgress,
    TrainingSession,
)
from courses.services.law_import import law_import
from courses.services.training import training_attendance_mark
from lms.accounts.models import OrgUnit, User

DATA = Path(__file__).resolve().parent / "data"
LAW_FILES = [
    "administrative-penalty-law-2021.md",
    "rural-revitalization-promotion-law-2021.md",
    "data-security-law-2021.md",
    "personal-information-protection-law-2021.md",
    "civil-code-2020-general-provisions.md",
    "civil-code-2020-personality-rights.md",
    # The most taught law, its latest amending act (linked to it), and the Constitution.
    "criminal-law.md",
    "criminal-law-amendment-11.md",
    "constitution.md",
]
VIDEO_TITLE = "行政处罚法修订要点（示范视频）"
SITE_NAME = "青山镇干部学法"


def _laws() -> dict[str, Law]:
    laws = {}
    for name in LAW_FILES:
        law, _created = law_import(
            text=(DATA / "laws" / name).read_text(encoding="utf-8"), filename=name
        )
        laws[law.slug] = law
    return laws


def _site() -> Site:
    """The demo township's site: its name on the admin's dashboard, and its root page (the
    catalogue's parent, at "/", where the cadre's home view answers) titled the same."""
    site = Site.objects.get(is_default_site=True)
    if site.site_name != SITE_NAME:
        site.site_name = SITE_NAME
        site.save(update_fields=["site_name"])
    root = site.root_page
    if root.title != SITE_NAME:
        root.title = root.draft_title = SITE_NAME
        root.save(update_fields=["title", "draft_title"])
    return site


def _catalogue() -> CourseIndexPage:
    index = CourseIndexPage.objects.first()
    if index is None:
        home = Site.objects.get(is_default_site=True).root_page
        index = CourseIndexPage(
            title="课程学习", slug="courses", intro="学法用法，从新法学起。每门课学完即记学时。"
        )
        home.add_child(instance=index)
    catalogue_authoring_ensure(index=index)
    return index


def _video():
    Media = get_media_model()
    media = Media.objects.filter(title=VIDEO_TITLE).first()
    if media is None:
        media = Media(title=VIDEO_TITLE, type="video", duration=24, width=480, height=270)
        data = (DATA / "demo" / "xingzheng-chufa-fa.mp4").read_bytes()
        media.file.save("xingzheng-chufa-fa.mp4", ContentFile(data), save=False)
        media.save()
    Document = get_document_model()
    captions = Document.objects.filter(title=VIDEO_TITLE + " 字幕").first()
    if captions is None:
        captions = Document(title=VIDEO_TITLE + " 字幕")
        data = (DATA / "demo" / "xingzheng-chufa-fa.vtt").read_bytes()
        captions.file.save("xingzheng-chufa-fa.vtt", ContentFile(data), save=False)
        captions.save()
    return media, captions


def _text(block_id, html):
    return {"type": "text", "id": block_id, "value": html}


def _articles(block_id, law, numbers, note=""):
    return {
        "type": "law_articles",
        "id": block_id,
        "value": {"law": law.pk, "articles": numbers, "note": note},
    }


def _key(block_id, title, html):
    return {"type": "key_point", "id": block_id, "value": {"title": title, "text": html}}


def _child(parent, model, slug, **fields):
    page = model.objects.child_of(parent).filter(slug=slug).first()
    body = fields.pop("body", None)
    if page is None:
        page = model(slug=slug, **fields)
        if body is not None:
            page.body = json.dumps(body)
        parent.add_child(instance=page)
    else:
        for key, value in fields.items():
            setattr(page, key, value)
        if body is not None:
            page.body = json.dumps(body)
        page.save()
    return page


def _courses(index, laws, media, captions):
    year = timezone.localdate().year
    penalty = laws["administrative-penalty-law-2021"]
    rural = laws["rural-revitalization-promotion-law-2021"]
    general = laws["civil-code-2020-general-provisions"]
    personality = laws["civil-code-2020-personality-rights"]
    data_law = laws["data-security-law-2021"]
    pipl = laws["personal-information-protection-law-2021"]

    new_laws = _child(
        index,
        CoursePage,
        "new-laws-2021",
        title="2021年新法学习：行政处罚法、民法典、乡村振兴促进法",
        summary=(
            "2021年施行的新法与基层工作关系最紧：修订后的行政处罚法规范执法，"
            "民法典保护群众人身和财产权利，乡村振兴促进法明确乡镇职责。三课学完记 3 学时。"
        ),
        year=year,
        law_category="administrative",
        is_required=True,
        credit_hours=Decimal("3.0"),
    )
    new_laws.laws.set([penalty, rural, general, personality])
    new_laws.save()
    video_block = {
        "type": "video",
        "id": "demo-video-1",
        "value": {"video": media.pk, "poster": None, "captions": captions.pk, "required": True},
    }
    lessons = [
        _child(
            new_laws,
            LessonPage,
            "penalty-law",
            title="第一课 修订后的行政处罚法：首违不罚与全过程记录",
            estimated_minutes=3,
            credit_hours=Decimal("1.0"),
            body=[
                _text(
                    "p1",
                    "<p>2021年1月22日修订的《行政处罚法》自2021年7月15日起施行。乡镇综合执法最常用到的是“首违不罚”和执法全过程记录两条。</p>",
                ),
                video_block,
                _articles(
                    "a1", penalty, "33", "首违不罚：初次违法、危害轻微、及时改正，可以不罚。"
                ),
                _articles("a2", penalty, "47"),
                _key(
                    "k1",
                    "要点",
                    "<ul><li>轻微并及时改正、没有危害后果的，<b>不予</b>处罚。</li><li>执法全过程要有文字或音像记录，归档保存。</li></ul>",
                ),
            ],
        ),
        _child(
            new_laws,
            LessonPage,
            "civil-code-personality",
            title="第二课 民法典：人身自由、隐私与个人信息",
            estimated_minutes=2,
            credit_hours=Decimal("1.0"),
            body=[
                _text(
                    "p1",
                    "<p>村务公开、网格走访都会接触群众信息。民法典把隐私权和个人信息保护写进了人格权编。</p>",
                ),
                _articles("a1", general, "109"),
                _articles("a2", personality, "1032, 1034"),
                _key("k1", "工作提示", "<p>公示名单只公开必要信息，身份证号、电话等要遮挡。</p>"),
            ],
        ),
        _child(
            new_laws,
            LessonPage,
            "rural-revitalization",
            title="第三课 乡村振兴促进法：乡镇要做什么",
            estimated_minutes=2,
            credit_hours=Decimal("1.0"),
            body=[
                _text(
                    "p1",
                    "<p>《乡村振兴促进法》自2021年6月1日起施行，是乡村振兴领域的基础性、综合性法律。</p>",
                ),
                _articles("a1", rural, "1, 4"),
            ],
        ),
    ]
    elective = _child(
        index,
        CoursePage,
        "data-and-personal-information",
        title="数据安全法与个人信息保护法",
        summary="网格员、村务信息员每天处理的数据，受两部2021年新法保护。",
        year=year,
        law_category="administrative",
        is_required=False,
        credit_hours=Decimal("1.0"),
    )
    elective.laws.set([data_law, pipl])
    elective.save()
    _child(
        elective,
        LessonPage,
        "data-basics",
        title="数据处理的基本规则",
        estimated_minutes=2,
        credit_hours=Decimal("1.0"),
        body=[_articles("a1", data_law, "3, 8"), _articles("a2", pipl, "10, 13")],
    )
    return lessons


def _training(trainer):
    now = timezone.localtime()
    township = OrgUnit.objects.filter(code="QS").first()
    upcoming, _ = TrainingSession.objects.update_or_create(
        topic="行政处罚法专题培训（线下）",
        defaults={
            "starts_at": (now + timedelta(days=3)).replace(
                hour=9, minute=0, second=0, microsecond=0
            ),
            "ends_at": (now + timedelta(days=3)).replace(
                hour=11, minute=30, second=0, microsecond=0
            ),
            "place": "青山镇政府三楼会议室",
            "trainer": trainer,
            "credit_hours": Decimal("2.0"),
        },
    )
    past, _ = TrainingSession.objects.update_or_create(
        topic="民法典进村入户宣讲培训",
        defaults={
            "starts_at": (now - timedelta(days=20)).replace(
                hour=14, minute=0, second=0, microsecond=0
            ),
            "ends_at": (now - timedelta(days=20)).replace(
                hour=16, minute=0, second=0, microsecond=0
            ),
            "place": "青山村党群服务中心",
            "trainer": trainer,
            "credit_hours": Decimal("2.0"),
        },
    )
    if township:
        upcoming.audience_units.set([township])
    return upcoming, past


@transaction.atomic
def seed_courses() -> dict:
    _site()
    laws = _laws()
    index = _catalogue()
    media, captions = _video()
    lessons = _courses(index, laws, media, captions)
    trainer = User.objects.filter(username="trainer").first()
    _upcoming, past = _training(trainer)
    cadre = User.objects.filter(username="13800000001").first()
    if cadre:
        # The demo cadre has finished the second lesson and started the first.
        LessonProgress.objects.update_or_create(
            user=cadre,
            lesson=lessons[1],
            defaults={
                "status": "completed",
                "seconds_studied": 150,
                "reached_end": True,
                "completed_at": timezone.now(),
            },
        )
        LessonProgress.objects.update_or_create(
            user=cadre,
            lesson=lessons[0],
            defaults={
                "status": "in_progress",
                "seconds_studied": 60,
                "video_intervals": {"demo-video-1": [[0.0, 8.0]]},
                "video_positions": {"demo-video-1": 8.0},
            },
        )
        if trainer:
            others = list(User.objects.filter(unit__code="QS-V01").exclude(pk=cadre.pk)[:3])
            training_attendance_mark(
                session=past, users=[cadre, *others], by=trainer, now=past.ends_at
            )
    return {
        "laws": len(laws),
        "lessons": LessonPage.objects.count(),
        "courses": CoursePage.objects.count(),
    }
