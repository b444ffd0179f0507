"""Write a year's results spreadsheet:
`manage.py export_year_results YEAR [--unit CODE] --format xlsx|csv -o FILE`."""

from django.core.management.base import BaseCommand, CommandError

from lms.accounts.models import OrgUnit
from lms.evaluation.export import FORMATS, year_results_write
from lms.evaluation.selectors import evaluation_year_for, results_state, year_results


class Command(BaseCommand):
    help = "Export the standing results of YEAR (live, or frozen once finalised)."

    def add_arguments(self, parser):
        parser.add_argument("year", type=int)
        parser.add_argument("--unit", help="A unit code: that unit and its subunits only.")
        parser.add_argument("--format", choices=FORMATS, required=True, dest="export_format")
        parser.add_argument("-o", "--output", required=True, help="The file to write.")

    def handle(self, *args, year, unit, export_format, output, **options):
        evaluation_year = evaluation_year_for(year)
        if evaluation_year is None:
            raise CommandError(f"There is no evaluation scheme for {year}.")
        org_unit = None
        if unit:
            org_unit = OrgUnit.objects.filter(code=unit).first()
            if org_unit is None:
                raise CommandError(f"There is no unit with the code {unit!r}.")
        rows = year_results(evaluation_year=evaluation_year, unit=org_unit)
        with open(output, "wb") as handle:
            year_results_write(
                rows=rows.iterator(chunk_size=2000), export_format=export_format, output=handle
            )
        state = "final" if results_state(evaluation_year).frozen else "live"
        self.stdout.write(f"{output}: {rows.count()} {state} results of {year}")
