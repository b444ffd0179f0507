"""Wagtail admin for the question bank."""

VIEWSETS = []
ADMIN_URLS = []
