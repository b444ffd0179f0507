"""Load the demo township (idempotent): `manage.py seed_demo [--logins]`."""

from django.core.management.base import BaseCommand

from courses.demo import seed_courses
from exams.demo_bank import seed_question_bank
from exams.demo_exams import seed_exams
from lms.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_accounts
from lms.evaluation.demo import seed_evaluation


class Command(BaseCommand):
    help = "Create or update the demo township, its cadres and one login per role."

    def add_arguments(self, parser):
        parser.add_argument("--logins", action="store_true", help="Only print the demo logins.")

    def handle(self, *args, **options):
        if not options["logins"]:
            counts = seed_accounts()
            self.stdout.write(
                f"demo township ready: {counts['units']} units, {counts['cadres']} cadres"
            )
            counts = seed_courses()
            self.stdout.write(
                f"law study ready: {counts['laws']} laws, {counts['courses']} courses, "
                f"{counts['lessons']} lessons"
            )
            self.stdout.write(f"question bank ready: {seed_question_bank()}")
            self.stdout.write(f"exams ready: {seed_exams()}")
            self.stdout.write(f"annual evaluation ready: {seed_evaluation()}")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.role:<12} {login.login:<14} {login.name}  {login.note}")
        self.stdout.write("Site: http://127.0.0.1:8000/   Admin: http://127.0.0.1:8000/admin/")
