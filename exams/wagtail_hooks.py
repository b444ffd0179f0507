"""Registers the exams admin: question bank, exam papers, exam slots, attempts."""

from wagtail import hooks

from . import admin_attempts, admin_bank, admin_exams, admin_slots


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [
        *admin_bank.VIEWSETS,
        *admin_exams.VIEWSETS,
        *admin_slots.VIEWSETS,
        *admin_attempts.VIEWSETS,
    ]


hooks.register("register_log_actions", admin_attempts.register_attempt_log_actions)


@hooks.register("register_admin_urls")
def register_urls():
    return [*admin_bank.ADMIN_URLS, *admin_exams.ADMIN_URLS]
