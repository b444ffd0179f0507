"""The evaluation's Wagtail admin (HR), registered by ../wagtail_hooks.py:
years.py, the year schemes and finalising, reopening and recomputing a year; awards.py,
approving and rejecting bonus awards and recording deductions; reports.py, the year
results report and its export; actions.py, the form page those actions share.

Django's admin autodiscovery imports this package as the app's `admin` module too: it
registers nothing there."""
