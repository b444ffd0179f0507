"""Opaque option values on the attempt page: what a choice's input carries instead of the
bank's own key.

Shuffling changes only the order of the choices; had the inputs carried the bank's keys
(value="B"), a bank that lists the right answer first would show it as the same value in
every attempt's HTML. So each input carries a token for (attempt, position, key): a keyed
BLAKE2b of the three under a secret derived from SECRET_KEY, which the cadre cannot
compute, which differs between attempts and between the questions of one attempt, and
which is the same on every render of the same attempt (so the phone's queue of unsent
answers, kept as values, still fits the page after a reload).

Nothing is stored: the save endpoint maps tokens back by computing the tokens of the
eight possible keys (A to H, `CHOICE_KEYS`) for that attempt and position, about 8 µs
per save, with no query, so the save stays one SQL statement. Answers are stored, graded
and reviewed with the bank's keys as before; only the attempt page and the practice
feedback it asks for speak in tokens. Guarded by tests/exams/test_option_tokens.py.
"""

import functools
import hashlib

from django.conf import settings


@functools.cache
def _secret(secret_key: str) -> bytes:
    # BLAKE2b takes a key of at most 64 bytes: derive one from SECRET_KEY (any length).
    return hashlib.blake2b(secret_key.encode(), person=b"exams.options", digest_size=32).digest()


def option_value(*, attempt_id: int, position: int, key: str) -> str:
    """The value the attempt page gives choice `key` of question `position`."""
    return option_value_under(
        settings.SECRET_KEY, attempt_id=attempt_id, position=position, key=key
    )


def option_value_under(secret_key: str, *, attempt_id: int, position: int, key: str) -> str:
    """`option_value` under a given SECRET_KEY: the reliability client, which starts the
    servers with a secret of its own, finds the right answer on a shuffled page with it."""
    data = f"{attempt_id}:{position}:{key}".encode()
    return hashlib.blake2b(data, key=_secret(secret_key), digest_size=6).hexdigest()


def option_keys(*, attempt_id: int, position: int, values: list) -> list[str] | None:
    """The bank's keys for the values a page sent, or None if one of them is not a value
    of this question (a bank key such as "B" among them)."""
    # Imported here: the load client of `make bench` imports this module without Django
    # set up, and the models cannot load before it is.
    from exams.models.bank import CHOICE_KEYS

    by_value = {
        option_value(attempt_id=attempt_id, position=position, key=key): key for key in CHOICE_KEYS
    }
    keys = [by_value.get(value) if isinstance(value, str) else None for value in values]
    return None if None in keys else keys
