"""`manage.py close_overdue_attempts`: grade attempts left open past their deadline (cron)."""

from django.core.management.base import BaseCommand

from exams.services.attempts import attempts_close_overdue


class Command(BaseCommand):
    help = "Grade every attempt whose deadline has passed."

    def handle(self, *args, **options):
        closed = attempts_close_overdue()
        self.stdout.write(f"closed {closed} overdue attempts")
