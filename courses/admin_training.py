"""Wagtail admin for training sessions and attendance."""

VIEWSETS = []
ADMIN_URLS = []
