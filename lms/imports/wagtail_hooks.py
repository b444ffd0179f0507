"""Registers the admin pages of background imports."""

from django.urls import include, path
from wagtail import hooks

from . import admin_urls


@hooks.register("register_admin_urls")
def register_urls():
    return [path("imports/", include(admin_urls))]
