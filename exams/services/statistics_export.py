"""The exam statistics workbook a trainer downloads from the statistics page."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from exams.models import QuestionKind
from exams.selectors.statistics import ExamStats, exam_statistics_headings
from lms.spreadsheets import xlsx_bytes, xlsx_sheet, xlsx_workbook

PERCENT_FORMAT = "0.0%"


def exam_statistics_xlsx(*, stats: ExamStats) -> bytes:
    """One workbook: a summary, the score bands, the units and the questions. Shares are
    stored as numbers (Excel can sum them) and shown as percentages."""
    headings = exam_statistics_headings()
    book = xlsx_workbook()
    summary = xlsx_sheet(
        book,
        pgettext("exam statistics", "Summary"),
        [
            [pgettext("exam paper", "Exam"), stats.exam.title],
            [_("Year"), stats.exam.year],
            [_("Cadres who took it"), stats.taken],
            [_("Graded attempts"), stats.graded_attempts],
            [_("Passed"), stats.passed],
            [_("Pass rate"), round(stats.pass_rate, 4)],
            [_("Mean score"), float(stats.mean_score) if stats.mean_score else None],
            [_("Full marks"), float(stats.max_score)],
        ],
    )
    summary.cell(row=6, column=2).number_format = PERCENT_FORMAT
    xlsx_sheet(book, _("Score bands"), stats.bands, header=headings["bands"])
    xlsx_sheet(
        book,
        _("Units"),
        ([unit.name, unit.taken, unit.passed, round(unit.pass_rate, 4)] for unit in stats.units),
        header=headings["units"],
        number_formats={4: PERCENT_FORMAT},
    )
    xlsx_sheet(
        book,
        _("Questions"),
        (
            [
                question.question_id,
                question.label,
                str(QuestionKind(question.kind).label) if question.kind else "",
                question.drawn,
                question.right,
                None if question.facility is None else round(question.facility, 4),
                None if question.discrimination is None else round(question.discrimination, 4),
            ]
            for question in stats.questions
        ),
        header=headings["questions"],
        number_formats={6: PERCENT_FORMAT, 7: PERCENT_FORMAT},
    )
    return xlsx_bytes(book)
