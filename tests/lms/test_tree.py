"""The materialised-path trees (lms/tree.py), through the two models that use it: units
(ids, "/1/4/") and question categories (names, "a / b")."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from exams.forms_bank import QuestionCategoryForm
from exams.models import QuestionCategory
from lms.accounts.models import OrgUnit, User
from tests.factories import OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db


def unit(code, parent=None):
    return OrgUnitFactory(code=code, name=code, parent=parent)


def category(*names):
    return QuestionCategory.ensure_path(names)


def fresh(node):
    node.refresh_from_db()
    return node


def test_a_unit_path_spells_its_ancestors_ids():
    town = unit("T")
    village = unit("V", town)
    group = unit("G", village)
    assert (town.path, village.path, group.path) == (
        f"/{town.pk}/",
        f"/{town.pk}/{village.pk}/",
        f"/{town.pk}/{village.pk}/{group.pk}/",
    )
    assert [fresh(u).depth for u in (town, village, group)] == [0, 1, 2]
    assert group.tree_depth == 2
    assert list(group.ancestors()) == [town, village]
    assert list(town.ancestors()) == []


def test_moving_a_unit_takes_its_subtree_along():
    town, other = unit("T"), unit("O")
    village = unit("V", town)
    group = unit("G", village)
    household = unit("H", group)
    stays = unit("S", town)
    village.parent = other
    village.save()
    assert fresh(group).path == f"/{other.pk}/{village.pk}/{group.pk}/"
    assert fresh(household).path == f"{group.path}{household.pk}/"
    assert (group.depth, household.depth) == (2, 3)
    assert fresh(stays).path == f"/{town.pk}/{stays.pk}/"
    assert set(other.subtree()) == {other, village, group, household}
    assert set(town.subtree()) == {town, stays}
    # Up to the root: every depth shifts by one.
    group.parent = None
    group.save(update_fields=["parent"])
    assert (fresh(group).path, group.depth) == (f"/{group.pk}/", 0)
    assert (fresh(household).path, household.depth) == (f"/{group.pk}/{household.pk}/", 1)


def test_the_subtree_moves_in_one_update():
    town, other = unit("T"), unit("O")
    village = unit("V", town)
    for n in range(5):
        unit(f"G{n}", village)
    village.parent = other
    with CaptureQueriesContext(connection) as queries:
        village.save()
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 2  # the unit itself, then everything below it


def test_a_unit_cannot_go_below_itself():
    town = unit("T")
    village = unit("V", town)
    group = unit("G", village)
    for parent in (town, group, village):
        town.parent = parent
        with pytest.raises(ValidationError) as refused:
            town.clean()
        assert "parent" in refused.value.message_dict
        with pytest.raises(ValidationError):
            town.save()
    assert fresh(town).parent is None and town.path == f"/{town.pk}/"


def test_a_unit_subtree_is_one_indexed_prefix_query(django_assert_num_queries):
    town = unit("T")
    village = unit("V", town)
    unit("elsewhere")
    cadre = UserFactory(unit=village)
    UserFactory(unit=unit("far"))
    with django_assert_num_queries(1) as captured:
        assert set(town.subtree()) == {town, village}
    assert "LIKE" in captured.captured_queries[0]["sql"]
    with django_assert_num_queries(1):
        assert list(User.objects.filter(town.subtree_q("unit"))) == [cadre]
    assert list(town.descendants()) == [village]
    assert list(User.objects.filter(town.descendants_q("unit"))) == [cadre]


def test_a_category_path_spells_its_ancestors_names():
    leaf = category("2021年新法", "行政法", "行政处罚法")
    assert leaf.full_path == "2021年新法 / 行政法 / 行政处罚法"
    assert leaf.tree_depth == 2
    assert [c.name for c in leaf.ancestors()] == ["2021年新法", "行政法"]


def test_renaming_or_moving_a_category_takes_its_subtree_along():
    law = category("行政法")
    leaf = category("行政法", "行政处罚法", "第一章")
    # A sibling whose name starts with the same letters is not below it.
    lookalike = category("行政法规", "条例")
    law.name = "行政法律"
    law.save()
    assert fresh(leaf).full_path == "行政法律 / 行政处罚法 / 第一章"
    assert fresh(lookalike).full_path == "行政法规 / 条例"
    middle = leaf.parent
    middle.parent = lookalike
    middle.save()
    assert fresh(leaf).full_path == "行政法规 / 条例 / 行政处罚法 / 第一章"
    assert set(lookalike.subtree()) == {lookalike, middle, leaf}
    assert set(law.subtree()) == {law}
    assert list(lookalike.descendants()) == [middle, leaf]


def test_a_category_move_keeps_to_the_exact_letters():
    # SQLite's LIKE matches ASCII letters of either case; the move must not.
    upper = category("Iota", "Kappa")
    lower = category("iota", "kappa")
    root = upper.parent
    root.name = "Eta"
    root.save()
    assert fresh(upper).full_path == "Eta / Kappa"
    assert fresh(lower).full_path == "iota / kappa"


def test_a_category_subtree_is_one_query(django_assert_num_queries):
    leaf = category("A", "B")
    root = leaf.parent
    category("AB")
    with django_assert_num_queries(1):
        assert set(root.subtree()) == {root, leaf}


def test_the_category_form_refuses_a_parent_inside_it():
    leaf = category("A", "B", "C")
    root = category("A")
    form = QuestionCategoryForm(data={"name": "A", "parent": leaf.pk}, instance=root)
    assert not form.is_valid()
    assert form.errors["parent"] == ["分类不能放在自身或其子分类之下。"]
    moved = QuestionCategoryForm(data={"name": "C", "parent": root.pk}, instance=leaf)
    assert moved.is_valid(), moved.errors
    moved.save()
    assert fresh(leaf).full_path == "A / C"


def test_the_path_is_written_with_update_fields():
    town, other = unit("T"), unit("O")
    village = unit("V", town)
    village.parent = other
    village.save(update_fields=["parent"])
    assert OrgUnit.objects.get(pk=village.pk).path == f"/{other.pk}/{village.pk}/"
