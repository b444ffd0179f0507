"""Registers the exams admin: question bank, exam papers, exam slots, attempts."""

from wagtail import hooks

from .admin import attempts, bank, papers, slots


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [*bank.VIEWSETS, *papers.VIEWSETS, *slots.VIEWSETS, *attempts.VIEWSETS]


hooks.register("register_log_actions", attempts.register_attempt_log_actions)
hooks.register("register_log_actions", papers.register_exam_log_actions)


@hooks.register("register_admin_urls")
def register_urls():
    return [*bank.ADMIN_URLS, *papers.ADMIN_URLS]
