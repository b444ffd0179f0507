"""Recompute a year's live results: `manage.py compute_year YEAR [--background]`."""

from django.core.management.base import BaseCommand, CommandError

from lms.evaluation.models import EvaluationYear
from lms.evaluation.services import year_compute
from lms.evaluation.tasks import year_compute_task


class Command(BaseCommand):
    help = "Recompute every cadre's live result of YEAR and print how many changed."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument(
            "--background", action="store_true", help="Queue the task instead of running it."
        )

    def handle(self, *args, year, background, **options):
        evaluation_year = EvaluationYear.objects.filter(year=year).first()
        if evaluation_year is None:
            raise CommandError(f"There is no evaluation scheme for {year}.")
        if evaluation_year.is_finalised:
            raise CommandError(f"{year} is finalised; its frozen results do not change.")
        if background:
            result = year_compute_task.enqueue(year=year)
            self.stdout.write(f"queued: task {result.id}")
            return
        changed = year_compute(year=evaluation_year)
        self.stdout.write(f"{year}: {changed} results changed")
