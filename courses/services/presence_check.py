"""The presence check of long videos (防挂机): a cadre who lets a long video play must, at a
random moment, tap "继续学习" within a minute, or the time since the check earns nothing.

The server issues the check (a nonce in a heartbeat's reply) and holds what the page earns
from then on; a timely answer releases it, a missed one drops it and nothing more is earned
until the cadre answers. The page only shows the dialog and pauses the player: a client that
never shows it, or answers it for the cadre without the nonce, gains nothing.
"""

import secrets
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings

from courses.intervals import intervals_merge

_random = secrets.SystemRandom()


def long_video_seconds() -> float:
    """Videos at least this long get presence checks."""
    return float(getattr(settings, "STUDY_PRESENCE_CHECK_VIDEO_SECONDS", 600))


def answer_seconds() -> int:
    return int(getattr(settings, "STUDY_PRESENCE_CHECK_ANSWER_SECONDS", 60))


def check_gap() -> timedelta:
    """Wall time from the start of playback (or the last answer) to the next check, drawn
    anew each time so nobody can learn when it comes."""
    low = float(getattr(settings, "STUDY_PRESENCE_CHECK_MIN_GAP_SECONDS", 180))
    high = float(getattr(settings, "STUDY_PRESENCE_CHECK_MAX_GAP_SECONDS", 600))
    return timedelta(seconds=_random.uniform(low, max(low, high)))


@dataclass
class Earned:
    """What one heartbeat would earn: study seconds and video intervals per block."""

    seconds: int = 0
    videos: dict[str, list] = field(default_factory=dict)

    def add(self, other: "Earned") -> None:
        self.seconds += other.seconds
        for block_id, intervals in other.videos.items():
            self.videos[block_id] = intervals_merge(self.videos.get(block_id, []) + intervals)


@dataclass
class CheckOutcome:
    earned: Earned
    # The check the page must show now: {"nonce", "seconds_left", "missed"}, or None.
    outstanding: dict | None = None
    # "passed" or "missed" when this beat answered a check.
    answered: str | None = None


def _outstanding(presence, now) -> dict:
    left = answer_seconds() - (now - presence.check_issued_at).total_seconds()
    return {"nonce": presence.check_nonce, "seconds_left": max(0, int(left)), "missed": left < 0}


def presence_check_apply(
    presence, *, now, earned: Earned, answer, new_page: bool, plays_long_video: bool
) -> CheckOutcome:
    """Decide what this beat earns under the presence check and update `presence` (a
    StudyPresence the caller saves). `answer` is the nonce the page sent back, if any."""
    if new_page:
        # A new page view starts afresh; what an unanswered check held on the old page was
        # never verified and is dropped with it.
        presence.check_nonce, presence.check_issued_at = "", None
        presence.held_seconds, presence.held_videos = 0, {}
        presence.next_check_at = None

    if presence.check_nonce:
        # A tap in time whose beat a village network delayed a little still counts.
        late = (now - presence.check_issued_at).total_seconds() > answer_seconds() * 13 / 12
        if answer == presence.check_nonce:
            held = Earned(presence.held_seconds, presence.held_videos)
            presence.check_nonce, presence.check_issued_at = "", None
            presence.held_seconds, presence.held_videos = 0, {}
            presence.next_check_at = now + check_gap()
            if late:
                # The beat that carries a late answer covers unverified time too.
                return CheckOutcome(Earned(), answered="missed")
            held.add(earned)
            return CheckOutcome(held, answered="passed")
        if late:
            presence.held_seconds, presence.held_videos = 0, {}
        else:
            held = Earned(presence.held_seconds, presence.held_videos)
            held.add(earned)
            presence.held_seconds, presence.held_videos = held.seconds, held.videos
        return CheckOutcome(Earned(), outstanding=_outstanding(presence, now))

    if plays_long_video:
        if presence.next_check_at is None:
            presence.next_check_at = now + check_gap()
        elif now >= presence.next_check_at:
            # This beat's own playback came before the check; it earns as usual.
            presence.check_nonce = secrets.token_hex(4)
            presence.check_issued_at = now
            presence.next_check_at = None
            return CheckOutcome(earned, outstanding=_outstanding(presence, now))
    return CheckOutcome(earned)
