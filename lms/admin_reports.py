"""Wagtail's own reports (site history, aging pages, locked pages, workflows), with their
XLSX and CSV downloads as labelled header buttons, as on every listing of ours: Wagtail
puts them in the header's unlabelled "…" menu, where clerks never look.

Mounted at Wagtail's own addresses ahead of its admin URLs (lms/urls.py), with the same
admin-access check; Wagtail's URL names still reverse to them.
"""

from django.urls import path
from django.views.decorators.cache import never_cache
from wagtail.admin.auth import require_admin_access
from wagtail.admin.views.reports.aging_pages import AgingPagesView
from wagtail.admin.views.reports.audit_logging import LogEntriesView
from wagtail.admin.views.reports.locked_pages import LockedPagesView
from wagtail.admin.views.reports.workflows import WorkflowTasksView, WorkflowView

from lms.spreadsheets import ExportHeaderButtonsMixin

REPORTS = {
    "site-history/": LogEntriesView,
    "aging-pages/": AgingPagesView,
    "locked/": LockedPagesView,
    "workflow/": WorkflowView,
    "workflow_tasks/": WorkflowTasksView,
}


def _with_export_buttons(view_class):
    return type(view_class.__name__, (ExportHeaderButtonsMixin, view_class), {})


def _view(view_class, **kwargs):
    return never_cache(require_admin_access(view_class.as_view(**kwargs)))


urlpatterns = []
for route, report in REPORTS.items():
    labelled = _with_export_buttons(report)
    urlpatterns += [
        path(route, _view(labelled)),
        path(f"{route}results/", _view(labelled, results_only=True)),
    ]
