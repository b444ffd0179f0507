"""The five roles as Django groups, with the permissions each holds, kept in sync on migrate."""

from django.contrib.auth.models import Group, Permission


class Role:
    """The role groups, by the name each group is stored under: the names staff read in the
    admin's group lists, so Chinese (migration accounts 0002 renamed the English ones)."""

    CADRE = "干部"
    TRAINER = "讲师"
    UNIT_LEADER = "单位负责人"
    HR = "人事部门"
    ADMIN = "系统管理员"

    ALL = (CADRE, TRAINER, UNIT_LEADER, HR, ADMIN)
    # Roles that hold personal data of many people must protect their sign-in with MFA.
    MFA_REQUIRED = (HR, ADMIN)
    # Roles that see every course and training session, whatever its audience.
    SEES_ALL_AUDIENCES = (TRAINER, HR, ADMIN)


EXAM_SLOT_PERMISSIONS = [
    f"exams.{action}_examslot" for action in ("add", "change", "delete", "view")
]

# app_label.codename; a trailing "*" means every permission of that app or model.
ROLE_PERMISSIONS = {
    Role.CADRE: [],
    Role.TRAINER: [
        "wagtailadmin.access_admin",
        "courses.add_trainingsession",
        "courses.change_trainingsession",
        "courses.view_trainingsession",
        "courses.add_law",
        "courses.change_law",
        "courses.view_law",
        "courses.delete_law",
        "courses.add_lawarticle",
        "courses.change_lawarticle",
        "courses.view_lawarticle",
        "courses.delete_lawarticle",
        "exams.add_question",
        "exams.change_question",
        "exams.view_question",
        "exams.add_questioncategory",
        "exams.change_questioncategory",
        "exams.view_questioncategory",
        "exams.view_questionreport",
        "exams.change_questionreport",
        "exams.add_exam",
        "exams.change_exam",
        "exams.view_exam",
        # Exam statistics (view) and answer-key correction with re-grading (change).
        "exams.view_attempt",
        "exams.change_attempt",
        *EXAM_SLOT_PERMISSIONS,
    ],
    Role.UNIT_LEADER: [
        "evaluation.add_bonusaward",
        "evaluation.view_bonusaward",
        "evaluation.view_yearresult",
    ],
    Role.HR: [
        "wagtailadmin.access_admin",
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_orgunit",
        "accounts.add_orgunit",
        "accounts.change_orgunit",
        "accounts.import_roster",
        "accounts.reset_password",
        "courses.view_trainingsession",
        # HR batches a county's exam by unit (exams/admin/slots.py), without editing papers.
        *EXAM_SLOT_PERMISSIONS,
        "evaluation.*",
    ],
    Role.ADMIN: [
        "wagtailadmin.access_admin",
        "accounts.*",
        "courses.*",
        "exams.*",
        "evaluation.*",
        "auth.*",
        "wagtailcore.*",
        "wagtailimages.*",
        "wagtaildocs.*",
        "wagtailmedia.*",
        "wagtailusers.*",
    ],
}


def _permissions_for(specs):
    perms = []
    for spec in specs:
        app_label, codename = spec.split(".", 1)
        qs = Permission.objects.filter(content_type__app_label=app_label)
        if codename != "*":
            qs = qs.filter(codename=codename)
        perms.extend(qs)
    return perms


def roles_ensure():
    """Create the role groups and give each exactly its listed permissions (idempotent)."""
    for role in Role.ALL:
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.set(_permissions_for(ROLE_PERMISSIONS[role]))


def roles_ensure_after_migrate(**kwargs):
    roles_ensure()


def role_names(user) -> set[str]:
    """The roles a user holds, a superuser counting as Admin; reads prefetched groups when
    the caller prefetched them (a list of users costs no query per row)."""
    if "groups" in getattr(user, "_prefetched_objects_cache", {}):
        names = {group.name for group in user.groups.all()}
    else:
        names = getattr(user, "_role_names", None)
        if names is None:
            names = user._role_names = set(user.groups.values_list("name", flat=True))
    names = set(names)
    if user.is_superuser:
        names.add(Role.ADMIN)
    return names


def user_has_role(user, *roles) -> bool:
    """Whether the user holds any of `roles`; a superuser holds every role."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    names = getattr(user, "_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._role_names = names
    return bool(names.intersection(roles))


def roles_grantable_by(user) -> tuple[str, ...]:
    """The roles `user` may hand out or take away, by the same ladder as password resets:
    Admin any role; HR the cadre and unit-leader roles only (a trainer sees the question
    bank with its keys, HR and Admin see everyone's data: only Admin makes those)."""
    if user_has_role(user, Role.ADMIN):
        return Role.ALL
    if user_has_role(user, Role.HR):
        return (Role.CADRE, Role.UNIT_LEADER)
    return ()


def account_is_managed_by(*, target, by) -> bool:
    """Whether `by` may edit or delete `target`'s account: every role the target holds is
    one `by` may grant (so HR does not deactivate an Admin or change a trainer's phone).
    Groups that are not roles (Wagtail's own) do not count: the form keeps them as they are."""
    if target.is_superuser and not by.is_superuser:
        return False
    return role_names(target) & set(Role.ALL) <= set(roles_grantable_by(by))
