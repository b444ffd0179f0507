"""Registers the courses admin: law library, training sessions, catalogue authoring."""

from wagtail import hooks

from . import admin_laws, admin_training


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [*admin_laws.VIEWSETS, *admin_training.VIEWSETS]


@hooks.register("register_admin_urls")
def register_urls():
    return [*admin_laws.ADMIN_URLS, *admin_training.ADMIN_URLS]


@hooks.register("after_create_page")
def set_up_catalogue_authoring(request, page):
    from .authoring import catalogue_authoring_ensure
    from .models import CourseIndexPage

    if isinstance(page.specific, CourseIndexPage):
        catalogue_authoring_ensure(index=page)
