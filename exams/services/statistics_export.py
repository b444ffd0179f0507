"""The exam statistics workbook a trainer downloads from the statistics page."""

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from exams.models import QuestionKind
from exams.selectors.statistics import ExamStats, exam_statistics_headings
from lms.spreadsheets import append_row

PERCENT_FORMAT = "0.0%"


def _percent_cells(sheet, column: int) -> None:
    """Shares are stored as numbers (Excel can sum them) and shown as percentages."""
    for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
        cell.number_format = PERCENT_FORMAT


def exam_statistics_xlsx(*, stats: ExamStats) -> bytes:
    """One workbook: a summary, the score bands, the units and the questions."""
    headings = exam_statistics_headings()
    book = Workbook()
    summary = book.active
    summary.title = pgettext("exam statistics", "Summary")[:31]
    for row in [
        [pgettext("exam paper", "Exam"), stats.exam.title],
        [_("Year"), stats.exam.year],
        [_("Cadres who took it"), stats.taken],
        [_("Graded attempts"), stats.graded_attempts],
        [_("Passed"), stats.passed],
        [_("Pass rate"), round(stats.pass_rate, 4)],
        [_("Mean score"), float(stats.mean_score) if stats.mean_score else None],
        [_("Full marks"), float(stats.max_score)],
    ]:
        append_row(summary, row)
    summary.cell(row=6, column=2).number_format = PERCENT_FORMAT
    bands = book.create_sheet(_("Score bands")[:31])
    append_row(bands, headings["bands"])
    for label, count in stats.bands:
        append_row(bands, [label, count])
    units = book.create_sheet(_("Units")[:31])
    append_row(units, headings["units"])
    for unit in stats.units:
        append_row(units, [unit.name, unit.taken, unit.passed, round(unit.pass_rate, 4)])
    _percent_cells(units, 4)
    questions = book.create_sheet(_("Questions")[:31])
    append_row(questions, headings["questions"])
    for question in stats.questions:
        append_row(
            questions,
            [
                question.question_id,
                question.label,
                str(QuestionKind(question.kind).label) if question.kind else "",
                question.drawn,
                question.right,
                None if question.facility is None else round(question.facility, 4),
                None if question.discrimination is None else round(question.discrimination, 4),
            ],
        )
    _percent_cells(questions, 6)
    _percent_cells(questions, 7)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
