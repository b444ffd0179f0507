"""HR authors the year's scheme in the Wagtail admin; the report says live or final."""

import pytest
from django.urls import reverse

from lms.evaluation.models import EvaluationYear
from lms.evaluation.services import evaluation_year_finalise, year_compute
from tests.conftest import client_for
from tests.evaluation.factories import YEAR, scheme

pytestmark = pytest.mark.django_db


def formset(prefix, rows=()):
    data = {
        f"{prefix}-TOTAL_FORMS": len(rows),
        f"{prefix}-INITIAL_FORMS": 0,
        f"{prefix}-MIN_NUM_FORMS": 0,
        f"{prefix}-MAX_NUM_FORMS": 1000,
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
        data[f"{prefix}-{index}-ORDER"] = index
    return data


def year_form(**values):
    data = {
        "year": YEAR,
        "required_credit_hours": "24",
        "study_weight": "40",
        "exam_weight": "60",
        "quiz_share": "0",
        "bonus_cap": "8",
        "top_band_requires_pass": "on",
    }
    data.update(values)
    return data


def test_hr_creates_a_year_and_gets_the_default_bands(hr):
    data = {
        **year_form(),
        **formset("grade_bands"),
        **formset("bonus_rules", [{"kind": "all_training", "points": "1"}]),
    }
    response = client_for(hr).post(reverse("evaluation_years:add"), data)
    assert response.status_code == 302, response.context["form"].errors
    year = EvaluationYear.objects.get(year=YEAR)
    assert list(year.grade_bands.values_list("name", flat=True)) == [
        "优秀",
        "良好",
        "合格",
        "不合格",
    ]
    assert year.bonus_rules.get().kind == "all_training"


def test_weights_must_add_up_to_100(hr):
    data = {**year_form(exam_weight="50"), **formset("grade_bands"), **formset("bonus_rules")}
    response = client_for(hr).post(reverse("evaluation_years:add"), data)
    assert response.status_code == 200
    assert not EvaluationYear.objects.exists()


def test_a_rule_needs_its_threshold(hr):
    data = {
        **year_form(),
        **formset("grade_bands"),
        **formset("bonus_rules", [{"kind": "exam_score", "points": "1"}]),
    }
    response = client_for(hr).post(reverse("evaluation_years:add"), data)
    assert response.status_code == 200
    assert not EvaluationYear.objects.exists()


def test_hr_renames_and_rebands(hr):
    bands = [{"name": "A", "min_score": "85"}, {"name": "B", "min_score": "0"}]
    data = {**year_form(), **formset("grade_bands", bands), **formset("bonus_rules")}
    assert client_for(hr).post(reverse("evaluation_years:add"), data).status_code == 302
    bands = [{"name": "A", "min_score": "85"}, {"name": "B", "min_score": "10"}]
    data = {**year_form(year=YEAR + 1), **formset("grade_bands", bands), **formset("bonus_rules")}
    assert client_for(hr).post(reverse("evaluation_years:add"), data).status_code == 200
    year = EvaluationYear.objects.get(year=YEAR)
    assert list(year.grade_bands.values_list("name", flat=True)) == ["A", "B"]


def test_report_says_live_or_final(hr, cadre):
    scheme()
    year_compute(year=YEAR)
    client = client_for(hr)
    assert client.get(reverse("evaluation_years:index")).status_code == 200
    response = client.get(reverse("evaluation_results"), {"year": YEAR})
    assert response.status_code == 200
    assert "实时结果" in str(response.context["view"].page_subtitle)
    evaluation_year_finalise(year=YEAR, by=hr)
    response = client.get(reverse("evaluation_results"), {"year": YEAR})
    assert "定稿结果" in str(response.context["view"].page_subtitle)
    assert len(response.context["object_list"]) == 1
    edit = client.post(
        reverse("evaluation_years:edit", args=[EvaluationYear.objects.get().pk]),
        {**year_form(), **formset("grade_bands"), **formset("bonus_rules")},
    )
    assert edit.status_code == 200  # refused: reopen first
