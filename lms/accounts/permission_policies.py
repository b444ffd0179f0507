"""Who may use Wagtail's own user admin (设置 → 用户)."""

from django.db.models import Q
from wagtail.permission_policies import ModelPermissionPolicy

from .roles import Role, user_has_role


class AdministratorsOnlyUserPolicy(ModelPermissionPolicy):
    """Wagtail's user editor sets any group and knows nothing of the role ladder, so only
    the system administrator reaches it. HR holds the account permissions for its own
    cadre list (干部, which asks `ModelPermissionPolicy(User)` for the Cadre proxy), whose
    form offers only the roles HR may grant."""

    def user_has_permission(self, user, action):
        return user_has_role(user, Role.ADMIN) and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        admins = Q(is_superuser=True) | Q(groups__name=Role.ADMIN)
        return super().users_with_any_permission(actions).filter(admins).distinct()
