"""Wagtail admin for exam papers and statistics."""

VIEWSETS = []
ADMIN_URLS = []
