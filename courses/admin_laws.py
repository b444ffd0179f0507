"""Wagtail admin for the law library."""

VIEWSETS = []
ADMIN_URLS = []
