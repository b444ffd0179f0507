"""Study time and video playback, credited on the server's clock from lesson heartbeats."""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from courses.intervals import intervals_clip, intervals_length, intervals_merge
from courses.models import LessonPage, LessonProgress, StudyCredit, StudyPresence
from courses.services.credit import study_credit_record
from courses.services.presence_check import Earned, long_video_seconds, presence_check_apply

TOKEN_SALT = "courses.study-heartbeat"
# A page left open longer than this must be reloaded before it earns more time.
TOKEN_MAX_AGE = 12 * 3600
# The page beats every 15 s while visible; a longer silence means nobody was studying.
BEAT_CAP_SECONDS = 60
# Players may run at up to 2x; a little slack covers the network's jitter.
PLAYBACK_RATE_CAP = 2.0
PLAYBACK_SLACK_SECONDS = 3.0
VIDEO_WATCHED_SHARE = 0.9


class HeartbeatError(Exception):
    status = 400

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class HeartbeatForbidden(HeartbeatError):
    status = 403


class HeartbeatExpired(HeartbeatError):
    status = 410


class HeartbeatReplayed(HeartbeatError):
    status = 409


def beat_seconds() -> int:
    """How often a visible lesson page sends a heartbeat (at most BEAT_CAP_SECONDS)."""
    return min(int(getattr(settings, "STUDY_BEAT_SECONDS", 15)), BEAT_CAP_SECONDS)


def idle_limit_seconds() -> int:
    """How long after the cadre's last interaction with the page its beats still earn."""
    return int(getattr(settings, "STUDY_IDLE_LIMIT_SECONDS", 180))


def text_share() -> float:
    return float(getattr(settings, "STUDY_TEXT_COMPLETION_SHARE", 0.8))


def heartbeat_token_make(*, user, lesson) -> str:
    """Bound to the cadre, the lesson and this page view (nonce), signed with a timestamp."""
    return signing.dumps(
        {"u": user.pk, "l": lesson.pk, "n": secrets.token_hex(4)}, salt=TOKEN_SALT, compress=True
    )


def _token_read(token: str, *, user) -> dict:
    try:
        payload = signing.loads(token, salt=TOKEN_SALT, max_age=TOKEN_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise HeartbeatExpired(_("This page has been open too long. Reload it to go on.")) from exc
    except signing.BadSignature as exc:
        raise HeartbeatForbidden(_("The study token is not valid.")) from exc
    if payload.get("u") != user.pk:
        raise HeartbeatForbidden(_("The study token belongs to another account."))
    return payload


@dataclass(frozen=True)
class VideoSpec:
    block_id: str
    media_id: int
    required: bool
    duration: float


def lesson_videos(lesson) -> list[VideoSpec]:
    """The video blocks of a lesson with their durations, read from the raw stream (one
    query for the media rows, however many blocks)."""
    from wagtailmedia.models import get_media_model

    raw = [block for block in lesson.body.raw_data if block.get("type") == "video"]
    ids = [block["value"].get("video") for block in raw if block["value"].get("video")]
    durations = dict(get_media_model().objects.filter(pk__in=ids).values_list("pk", "duration"))
    return [
        VideoSpec(
            block_id=block["id"],
            media_id=block["value"]["video"],
            required=bool(block["value"].get("required", True)),
            duration=float(durations.get(block["value"]["video"]) or 0),
        )
        for block in raw
        if block["value"].get("video") in durations
    ]


def video_watched_share(progress: LessonProgress, video: VideoSpec) -> float:
    if video.duration <= 0:
        return 0.0
    watched = intervals_length(progress.video_intervals.get(video.block_id, []))
    return min(watched / video.duration, 1.0)


def lesson_is_complete(*, lesson, progress: LessonProgress, videos: list[VideoSpec]) -> bool:
    needed_seconds = lesson.estimated_minutes * 60 * text_share()
    if progress.seconds_studied < needed_seconds or not progress.reached_end:
        return False
    return all(
        video_watched_share(progress, video) >= VIDEO_WATCHED_SHARE
        for video in videos
        if video.required
    )


@dataclass
class HeartbeatResult:
    progress: LessonProgress
    credited_seconds: int
    videos: list[VideoSpec]
    lesson_completed_now: bool = False
    course_credit: StudyCredit | None = None
    presence_check: dict | None = None
    presence_check_answer: str | None = None


def _parse_videos(raw, videos_by_id: dict[str, VideoSpec]) -> dict[str, dict]:
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise HeartbeatError(_("“videos” must be an object."))
    parsed = {}
    for block_id, report in raw.items():
        video = videos_by_id.get(block_id)
        if video is None:
            raise HeartbeatError(_("This lesson has no video %(id)s.") % {"id": block_id})
        if not isinstance(report, dict):
            raise HeartbeatError(_("Each video report must be an object."))
        played = report.get("played", [])
        if not isinstance(played, list) or len(played) > 200:
            raise HeartbeatError(_("“played” must be a list of [start, end] pairs."))
        intervals = []
        limit = video.duration + 1 if video.duration else float("inf")
        for pair in played:
            if (
                not isinstance(pair, list | tuple)
                or len(pair) != 2
                or not all(isinstance(x, int | float) and not isinstance(x, bool) for x in pair)
                or not 0 <= pair[0] <= pair[1] <= limit
            ):
                raise HeartbeatError(_("A played interval is not a valid [start, end] pair."))
            intervals.append((float(pair[0]), float(pair[1])))
        position = report.get("position")
        if position is not None and (
            not isinstance(position, int | float)
            or isinstance(position, bool)
            or not 0 <= position <= limit
        ):
            raise HeartbeatError(_("The video position is not valid."))
        parsed[block_id] = {"played": intervals, "position": position}
    return parsed


def study_heartbeat(*, user, payload: dict, now=None) -> HeartbeatResult:
    """Credit one heartbeat from a lesson page.

    Time credited is the server time since this cadre's previous heartbeat from any tab,
    at most BEAT_CAP_SECONDS, so the total never exceeds real time. Video playback counts
    only as far as real time allows, so seeking to the end earns nothing.
    """
    if not isinstance(payload, dict):
        raise HeartbeatError(_("The heartbeat must be a JSON object."))
    token = payload.get("token")
    seq = payload.get("seq")
    if not isinstance(token, str) or not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise HeartbeatError(_("The heartbeat needs a token and a sequence number."))
    claims = _token_read(token, user=user)
    lesson = LessonPage.objects.live().filter(pk=claims["l"]).first()
    if lesson is None:
        raise HeartbeatForbidden(_("This lesson is no longer published."))
    videos = lesson_videos(lesson)
    videos_by_id = {video.block_id: video for video in videos}
    reports = _parse_videos(payload.get("videos"), videos_by_id)
    long_video = long_video_seconds()
    answer = payload.get("check")
    if answer is not None and (not isinstance(answer, str) or len(answer) > 16):
        raise HeartbeatError(_("The presence check answer is not valid."))
    at_end = payload.get("at_end") is True
    # The client says only whether the cadre touched the page since its last beat; when it
    # happened is the server's time of this beat, so a client clock cannot stretch presence.
    interacted = payload.get("interacted", False)
    if not isinstance(interacted, bool):
        raise HeartbeatError(_("“interacted” must be true or false."))
    now = now or timezone.now()
    page = f"{claims['n']}:{lesson.pk}"

    with transaction.atomic():
        presence = StudyPresence.objects.select_for_update().filter(user=user).first()
        elapsed = 0.0
        if presence is not None:
            if presence.page == page and seq <= presence.last_seq:
                raise HeartbeatReplayed(_("This heartbeat was already counted."))
            gap = (now - presence.last_beat_at).total_seconds()
            if 0 < gap <= BEAT_CAP_SECONDS:
                elapsed = gap
        # Opening a page is an interaction; after that, a page nobody touches for the idle
        # limit (a phone left playing, a tab left open) stops earning until touched again.
        new_page = presence is None or presence.page != page
        last_interaction = (
            now if interacted or new_page else presence.last_interaction_at or presence.last_beat_at
        )
        if (now - last_interaction).total_seconds() > idle_limit_seconds():
            elapsed = 0.0
        credited = int(elapsed)
        beat_at = (
            now
            if presence is None or not elapsed
            else presence.last_beat_at + timedelta(seconds=credited)
        )
        presence, _clock_created = StudyPresence.objects.update_or_create(
            user=user,
            defaults={
                "lesson": lesson,
                "last_beat_at": beat_at,
                "page": page,
                "last_seq": seq,
                "last_interaction_at": last_interaction,
            },
        )
        earned = Earned(seconds=credited)
        budget = elapsed * PLAYBACK_RATE_CAP + PLAYBACK_SLACK_SECONDS
        for block_id, report in reports.items():
            played = intervals_clip(report["played"], budget)
            budget -= sum(end - start for start, end in played)
            if played:
                earned.videos[block_id] = played
        check = presence_check_apply(
            presence,
            now=now,
            earned=earned,
            answer=answer,
            new_page=new_page,
            plays_long_video=any(
                videos_by_id[block_id].duration >= long_video
                and any(end > start for start, end in reports[block_id]["played"])
                for block_id in reports
            ),
        )
        presence.save(
            update_fields=[
                "check_nonce",
                "check_issued_at",
                "next_check_at",
                "held_seconds",
                "held_videos",
            ]
        )
        progress, _created = LessonProgress.objects.select_for_update().get_or_create(
            user=user, lesson=lesson
        )
        for block_id, played in check.earned.videos.items():
            progress.video_intervals[block_id] = intervals_merge(
                progress.video_intervals.get(block_id, []) + played
            )
        for block_id, report in reports.items():
            if report["position"] is not None:
                progress.video_positions[block_id] = round(report["position"], 1)
        progress.seconds_studied += check.earned.seconds
        progress.reached_end = progress.reached_end or at_end
        result = HeartbeatResult(
            progress=progress,
            credited_seconds=check.earned.seconds,
            videos=videos,
            presence_check=check.outstanding,
            presence_check_answer=check.answered,
        )
        if progress.status != LessonProgress.Status.COMPLETED:
            if lesson_is_complete(lesson=lesson, progress=progress, videos=videos):
                progress.status = LessonProgress.Status.COMPLETED
                progress.completed_at = now
                result.lesson_completed_now = True
            else:
                progress.status = LessonProgress.Status.IN_PROGRESS
        progress.save()
        if result.lesson_completed_now:
            result.course_credit = course_completion_check(user=user, lesson=lesson, now=now)
    return result


def course_completion_check(*, user, lesson, now=None):
    """If every required lesson of the lesson's course is complete, record the credit."""
    course = lesson.get_parent().specific
    required = LessonPage.objects.live().child_of(course).filter(is_required=True)
    completed = LessonProgress.objects.filter(
        user=user, status=LessonProgress.Status.COMPLETED
    ).values("lesson_id")
    missing = required.exclude(pk__in=completed).exists()
    if missing:
        return None
    credit, _created = study_credit_record(
        user=user,
        source=StudyCredit.Source.COURSE,
        credit_hours=course.credit_hours,
        title=course.title,
        course=course,
        earned_at=now,
    )
    return credit
