"""Registers the exams admin: question bank, exam papers."""

from wagtail import hooks

from . import admin_bank, admin_exams


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [*admin_bank.VIEWSETS, *admin_exams.VIEWSETS]


@hooks.register("register_admin_urls")
def register_urls():
    return [*admin_bank.ADMIN_URLS, *admin_exams.ADMIN_URLS]
