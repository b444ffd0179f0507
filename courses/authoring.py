"""Who may author the course tree: trainers write and submit, the reviewer publishes.

Set up when the catalogue page exists (on creation in the admin and by seed_demo); the
permissions live on the catalogue page, so they cover every course and lesson under it.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

from lms.accounts.roles import Role

WORKFLOW_NAME = "课程审核"
TASK_NAME = "审核发布"
REVIEWER_ROLES = (Role.ADMIN,)

PAGE_PERMISSIONS = {
    Role.TRAINER: ["add_page", "change_page"],
    Role.ADMIN: ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"],
}
COLLECTION_PERMISSIONS = {
    Role.TRAINER: [
        ("wagtailimages", "add_image"),
        ("wagtailimages", "change_image"),
        ("wagtailimages", "choose_image"),
        ("wagtaildocs", "add_document"),
        ("wagtaildocs", "change_document"),
        ("wagtaildocs", "choose_document"),
        ("wagtailmedia", "add_media"),
        ("wagtailmedia", "change_media"),
    ],
}


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


@transaction.atomic
def catalogue_authoring_ensure(*, index) -> Workflow:
    """Page and media permissions for trainers and the review workflow (idempotent)."""
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in Role.ALL}
    for role, codenames in PAGE_PERMISSIONS.items():
        for codename in codenames:
            GroupPagePermission.objects.get_or_create(
                group=groups[role], page=index, permission=_permission("wagtailcore", codename)
            )
    root = Collection.get_first_root_node()
    for role, perms in COLLECTION_PERMISSIONS.items():
        for app_label, codename in perms:
            GroupCollectionPermission.objects.get_or_create(
                group=groups[role], collection=root, permission=_permission(app_label, codename)
            )
    workflow, _created = Workflow.objects.get_or_create(name=WORKFLOW_NAME)
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.set([groups[role] for role in REVIEWER_ROLES])
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    return workflow
