"""The exams app in the Wagtail admin: the question bank, exam papers, slots, attempts.

The hooks that register these live in `exams/wagtail_hooks.py`."""
