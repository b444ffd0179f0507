"""Data for the out-of-process servers (reliability tests and `make bench`): run as
`python -m tests.reliability.seed exam --cadres N` with the servers' settings and
DATABASE_URL; prints one JSON line. Sessions are written straight into the servers'
session store (Redis), as if each cadre had signed in on their phone before the exam."""

import argparse
import json
import os
import sys
import zlib
from decimal import Decimal


def _setup():
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.production")
    django.setup()


def _session_for(user) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.utils.module_loading import import_string

    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def exam(*, cadres: int, questions: int, minutes: int, prefix: str) -> dict:
    """An annual exam of `questions` questions (mixed kinds, as the real paper) and
    `cadres` signed-in cadres who may sit it."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from exams.models import Exam
    from lms.accounts.models import OrgUnit, User
    from lms.accounts.roles import Role, roles_ensure
    from tests.exams import exam_builders as build

    roles_ensure()
    unit, _ = OrgUnit.objects.get_or_create(
        code=f"{prefix}-U", defaults={"name": "青山镇", "kind": "township"}
    )
    # One hashed password for all: hashing 500 passwords with PBKDF2 would take minutes.
    password = make_password("bench-password-42")
    users = User.objects.bulk_create(
        [
            User(
                username=f"{prefix}{n:05d}",
                phone=f"177{zlib.crc32(prefix.encode()) % 1000:03d}{n:05d}",
                name=f"干部{n}",
                unit=unit,
                password=password,
            )
            for n in range(cadres)
        ]
    )
    group = Group.objects.get(name=Role.CADRE)
    User.groups.through.objects.bulk_create(
        [User.groups.through(user_id=u.pk, group_id=group.pk) for u in users]
    )
    mix = {"single": 0.6, "multiple": 0.2, "truefalse": 0.1, "blank": 0.1}
    kinds = []
    for kind, share in mix.items():
        kinds += [kind] * round(questions * share)
    kinds = (kinds + ["single"] * questions)[:questions]
    built = []
    for kind in kinds:
        if kind == "multiple":
            built.append(build.question("multiple", correct=("A", "B")))
        elif kind == "blank":
            built.append(build.question("blank", blanks=[["依法行政"]]))
        else:
            built.append(build.question(kind, correct=("A",)))
    paper = build.exam(
        questions=built,
        points=Decimal(100) / questions,
        title=f"{prefix} 年度学法考试",
        kind=Exam.Kind.ANNUAL,
        time_limit_minutes=minutes,
        attempts_allowed=1,
        shuffle_questions=True,
        shuffle_options=True,
    )
    return {
        "exam_id": paper.pk,
        "questions": questions,
        "cadres": [{"id": u.pk, "session": _session_for(u)} for u in users],
    }


def main(argv=None):
    parser = argparse.ArgumentParser()
    sub = parser.add_subparsers(dest="command", required=True)
    exam_parser = sub.add_parser("exam")
    exam_parser.add_argument("--cadres", type=int, default=2)
    exam_parser.add_argument("--questions", type=int, default=10)
    exam_parser.add_argument("--minutes", type=int, default=60)
    exam_parser.add_argument("--prefix", default="r")
    args = parser.parse_args(argv)
    _setup()
    result = exam(
        cadres=args.cadres, questions=args.questions, minutes=args.minutes, prefix=args.prefix
    )
    sys.stdout.write(json.dumps(result) + "\n")


if __name__ == "__main__":
    main()
