"""Load the demo township (idempotent): `manage.py seed_demo [--logins]`."""

import socket
from urllib.parse import urlsplit

from django.core.management.base import BaseCommand

from courses.demo import seed_courses
from exams.demo_bank import seed_question_bank
from exams.demo_exams import seed_exams
from lms.accounts.demo import DEMO_LOGINS, DEMO_PASSWORD, seed_accounts
from lms.evaluation.demo import seed_evaluation


def reachable_address(address: str) -> str:
    """`HOST=0.0.0.0` listens on every interface, but no phone can open 0.0.0.0: print this
    machine's address on its network instead (a UDP connect sends nothing)."""
    parts = urlsplit(address)
    if parts.hostname not in {"0.0.0.0", "::"}:
        return address
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            host = probe.getsockname()[0]
    except OSError:
        return address
    return f"{parts.scheme}://{host}:{parts.port}" if parts.port else f"{parts.scheme}://{host}"


class Command(BaseCommand):
    help = "Create or update the demo township, its cadres and one login per role."

    def add_arguments(self, parser):
        parser.add_argument(
            "--logins", action="store_true", help="Only print the demo logins, load nothing."
        )
        parser.add_argument(
            "--address",
            default="http://127.0.0.1:8000",
            help="The site's address to print with the logins (make run passes HOST and PORT).",
        )

    def handle(self, *args, **options):
        if options["logins"]:
            self.print_logins(options["address"].rstrip("/"))
            return
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
        self.stdout.write("demo logins: manage.py seed_demo --logins")

    def print_logins(self, address: str) -> None:
        address = reachable_address(address)
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD})"))
        for login in DEMO_LOGINS:
            self.stdout.write(f"  {login.role:<12} {login.login:<14} {login.name}  {login.note}")
        self.stdout.write(f"Site: {address}/   Admin: {address}/admin/")
