"""Writes of the courses app, as plain functions that views, commands and tasks call."""
