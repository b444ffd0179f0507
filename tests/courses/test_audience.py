"""The audience rule, read three ways (courses/audience.py), agrees with itself and with
the rule as the product states it, on generated units, categories and audiences.

The oracle walks the unit tree by its parents: it knows nothing of paths, so a path
that is a prefix of another only as a string ("/31/" and "/310/") cannot fool it.
"""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from courses.audience import Audience, audience_q
from courses.models import TrainingSession
from lms.accounts.models import CadreCategory, OrgUnit, User
from tests.courses.factories_training import TrainingSessionFactory
from tests.factories import OrgUnitFactory

pytestmark = pytest.mark.django_db

# Unit id -> parent id, at depths 0 to 3; ids chosen so that some paths start with
# another's digits ("/31/" and "/310/", "/31/3/" and "/31/314/").
TREE = {31: None, 3: 31, 314: 31, 14: 3, 7: 14, 310: None}
CATEGORIES = list(CadreCategory.values)

audiences = st.tuples(
    st.frozensets(st.sampled_from(sorted(TREE))), st.frozensets(st.sampled_from(CATEGORIES))
)
places = st.tuples(st.none() | st.sampled_from(sorted(TREE)), st.sampled_from(["", *CATEGORIES]))


def above(unit_id):
    """The unit and every unit above it, by the parent links."""
    while unit_id is not None:
        yield unit_id
        unit_id = TREE[unit_id]


def meant(audience, place) -> bool:
    """The rule as stated: no unit listed, or one listed is the place's unit or above it;
    no category listed, or the place's is."""
    units, categories = audience
    unit_id, category = place
    return (not units or bool(units & set(above(unit_id)))) and (
        not categories or category in categories
    )


def _units() -> dict[int, OrgUnit]:
    units = {}
    for pk, parent in TREE.items():  # parents come first
        units[pk] = OrgUnitFactory(pk=pk, code=f"P{pk}", parent=units.get(parent))
    return units


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    generated=st.lists(audiences, min_size=1, max_size=4),
    people=st.lists(places, min_size=1, max_size=5),
)
def test_the_three_forms_agree_with_the_rule(generated, people):
    with transaction.atomic():
        units = _units()
        sessions = {
            TrainingSessionFactory(
                audience_units=[units[pk] for pk in unit_ids],
                audience_categories=sorted(categories),
            ).pk: (unit_ids, categories)
            for unit_ids, categories in generated
        }
        users = {
            User.objects.create(
                username=f"p{index}",
                unit=units[unit_id] if unit_id is not None else None,
                category=category,
            ).pk: (unit_id, category)
            for index, (unit_id, category) in enumerate(people)
        }
        loaded = Audience.load(
            TrainingSession,
            TrainingSession.objects.filter(pk__in=sessions).values_list(
                "pk", "audience_categories"
            ),
        )
        through = TrainingSession.audience_units.through
        for user in User.objects.filter(pk__in=users).select_related("unit"):
            expected = {pk for pk, audience in sessions.items() if meant(audience, users[user.pk])}
            # Python, on the loaded audiences.
            assert {pk for pk in sessions if loaded[pk].includes_user(user)} == expected
            # SQL, from the place's side.
            rows = TrainingSession.objects.filter(
                audience_q(user, through=through, owner_field="trainingsession_id"),
                pk__in=sessions,
            )
            assert set(rows.values_list("pk", flat=True)) == expected
        for pk, audience in sessions.items():
            # SQL, from the audience's side.
            members = User.objects.filter(loaded[pk].members_q(), pk__in=users)
            expected = {user_id for user_id, place in users.items() if meant(audience, place)}
            assert set(members.values_list("pk", flat=True)) == expected
        transaction.set_rollback(True)


def test_an_empty_audience_is_everyone_and_a_path_is_not_a_prefix_of_its_neighbour():
    assert Audience().includes("", "") and Audience().includes("/1/4/", "village_cadre")
    listed = Audience(("/31/",), ())
    assert listed.includes("/31/3/14/", "") and not listed.includes("/310/", "")
    assert not Audience((), ("grid_manager",)).includes("/31/", "")
