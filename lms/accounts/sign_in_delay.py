"""A short, growing wait per account after repeated failed sign-ins, in place of a lockout.

A lockout per account lets anyone who knows a cadre's phone number shut them out at the exam
start with five wrong passwords. Here the first SIGN_IN_FREE_FAILURES failures cost nothing;
each failure after them makes the account wait 2, 4, 8… seconds (at most SIGN_IN_DELAY_MAX)
before the next try is even checked. Tries during the wait are refused without counting,
so a stranger delays a cadre by one short wait at most, while guessing stays slow. The count
lives in the cache (shared by every app server with Redis) and is forgotten a quarter of an
hour after the last failure, or at once when the account signs in.
"""

import hashlib

from django.conf import settings
from django.core.cache import cache

FORGET_AFTER = 15 * 60


def _key(login: str) -> str:
    # Hashed: a login typed by anyone may hold spaces or characters a cache key may not.
    digest = hashlib.sha256(login.strip().lower().encode()).hexdigest()
    return f"sign-in-delay:{digest}"


def sign_in_wait(*, login: str, now: float) -> int:
    """Seconds this login must still wait before a password is checked (0: none)."""
    state = cache.get(_key(login))
    if not state:
        return 0
    return max(0, int(state["until"] - now + 0.999))


def sign_in_failed(*, login: str, now: float) -> int:
    """Count a failure; returns the wait it sets, in seconds."""
    state = cache.get(_key(login)) or {"failures": 0, "until": 0}
    failures = state["failures"] + 1
    over = failures - settings.SIGN_IN_FREE_FAILURES
    wait = min(2**over, settings.SIGN_IN_DELAY_MAX) if over > 0 else 0
    cache.set(_key(login), {"failures": failures, "until": now + wait}, FORGET_AFTER + wait)
    return wait


def sign_in_succeeded(*, login: str) -> None:
    cache.delete(_key(login))
