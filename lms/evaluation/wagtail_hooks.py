"""Registers the evaluation admin: schemes, awards, the results report, log actions."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.log_actions import LogFormatter
from wagtail.permissions import register_permission_policy

from .admin.awards import (
    AwardDecideView,
    AwardPermissionPolicy,
    BonusAwardViewSet,
    DeductionAddView,
)
from .admin.reports import YearResultReportView
from .admin.years import (
    EvaluationYearViewSet,
    YearFinaliseView,
    YearRecomputeView,
    YearReopenView,
)
from .models import BonusAward
from .views import LEADER_PERMISSION

register_permission_policy(BonusAward, AwardPermissionPolicy(BonusAward))


@hooks.register("register_admin_viewset")
def register_viewsets():
    return [EvaluationYearViewSet("evaluation_years"), BonusAwardViewSet("evaluation_awards")]


@hooks.register("register_admin_urls")
def register_urls():
    pages = [
        ("results/", YearResultReportView.as_view(), "evaluation_results"),
        (
            "results/results/",
            YearResultReportView.as_view(results_only=True),
            "evaluation_results_results",
        ),
        ("years/<int:pk>/finalise/", YearFinaliseView.as_view(), "evaluation_year_finalise"),
        ("years/<int:pk>/reopen/", YearReopenView.as_view(), "evaluation_year_reopen"),
        ("years/<int:pk>/recompute/", YearRecomputeView.as_view(), "evaluation_year_recompute"),
        ("awards/<int:pk>/decide/", AwardDecideView.as_view(), "evaluation_award_decide"),
        ("deductions/new/", DeductionAddView.as_view(), "evaluation_deduction_add"),
    ]
    return [path(f"evaluation/{route}", view, name=name) for route, view, name in pages]


class ResultsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(LEADER_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_results_menu_item():
    return ResultsMenuItem(
        _("Year results"), reverse("evaluation_results"), icon_name="table", order=902
    )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    class AwardFormatter(LogFormatter):
        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("%(label)s: %(points)s points, reason: %(reason)s") % {
                "label": self.label,
                "points": data.get("points", ""),
                "reason": data.get("reason", ""),
            }

        def format_comment(self, log_entry):
            return (log_entry.data or {}).get("note", "")

    for action, label in [
        ("evaluation.award.propose", _("Bonus award proposed")),
        ("evaluation.award.approve", _("Bonus award approved")),
        ("evaluation.award.reject", _("Bonus award rejected")),
        ("evaluation.award.deduct", _("Deduction recorded")),
    ]:
        actions.register_action(action)(type("_Formatter", (AwardFormatter,), {"label": label}))

    @actions.register_action("evaluation.year.finalise")
    class FinaliseFormatter(LogFormatter):
        label = _("Year finalised")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return _("Finalised (version %(version)s, %(results)s results frozen)") % {
                "version": data.get("version", ""),
                "results": data.get("results", ""),
            }

    @actions.register_action("evaluation.year.reopen")
    class ReopenFormatter(LogFormatter):
        label = _("Year reopened")

        def format_message(self, log_entry):
            return _("Reopened: %(reason)s") % {"reason": (log_entry.data or {}).get("reason", "")}

        def format_comment(self, log_entry):
            return (log_entry.data or {}).get("reason", "")
