"""Reads other parts of the system use: who may see which units and cadres."""

from django.db.models import Q, QuerySet

from .models import OrgUnit, User
from .roles import Role, user_has_role


def units_visible_to(user) -> QuerySet[OrgUnit]:
    """HR and Admin see every unit; a unit leader sees the units led and everything below."""
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    if user_has_role(user, Role.HR, Role.ADMIN):
        return OrgUnit.objects.all()
    if user_has_role(user, Role.UNIT_LEADER):
        led = list(user.led_units.only("path"))
        if not led:
            return OrgUnit.objects.none()
        condition = Q()
        for unit in led:
            condition |= unit.subtree_q()
        return OrgUnit.objects.filter(condition)
    return OrgUnit.objects.none()


def cadres_visible_to(user) -> QuerySet[User]:
    """Active cadres in the units this user may see, ordered by unit then name."""
    units = units_visible_to(user)
    return (
        User.active.filter(unit__in=units)
        .select_related("unit")
        .order_by("unit__path", "name", "pk")
    )


def cadres_search(cadres: QuerySet[User], query: str) -> QuerySet[User]:
    """Cadres whose name or phone number contains the query (a leader's search box)."""
    return cadres.filter(Q(name__icontains=query) | Q(phone__contains=query))


def cadre_is_visible_to(*, cadre: User, user) -> bool:
    return cadres_visible_to(user).filter(pk=cadre.pk).exists()
