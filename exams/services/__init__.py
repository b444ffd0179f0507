"""Writes of the exams app, as plain functions that views, commands and tasks call."""
