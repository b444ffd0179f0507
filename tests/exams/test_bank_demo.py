"""The demo question bank: valid, linked to the law library, idempotent."""

from collections import Counter

import pytest

from courses.models import Law
from exams.demo_bank import seed_question_bank
from exams.models import Question


@pytest.mark.django_db
def test_seed_question_bank_is_idempotent_and_linked():
    penalty = Law.objects.create(
        title="中华人民共和国行政处罚法",
        short_name="行政处罚法",
        slug="administrative-penalty-law-2021",
    )
    first = seed_question_bank()
    assert first["questions"] == first["questions_created"] >= 40
    kinds = Counter(Question.objects.values_list("kind", flat=True))
    assert kinds["single"] >= 18 and kinds["multiple"] >= 8 and kinds["truefalse"] >= 10
    assert kinds["blank"] >= 2
    linked = Question.objects.filter(law=penalty)
    assert linked.count() == 15 and not linked.filter(law_articles="").exists()
    # Laws the library lacks stay unlinked, with the reference kept as text.
    assert Question.objects.filter(law__isnull=True, law_reference__startswith="《").exists()
    again = seed_question_bank()
    assert again["questions_created"] == 0 and again["questions"] == first["questions"]
