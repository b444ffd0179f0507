"""Wagtail admin for attempts as trainers watch a running exam: who is sitting it, how
often each cadre left the exam page, which attempts are bound to a device; each
attempt's history is its action log (start, takeover, leaves, forced submit, regrade),
and a trainer can release an attempt stuck on a device."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views import View
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.views.generic import WagtailAdminTemplateMixin, history
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.log_actions import LogFormatter

from exams.models import Attempt, Exam
from exams.services.attempts import DEADLINE_SUBMIT_ACTION, AttemptError
from exams.services.integrity import (
    LEAVE_ACTION,
    LEAVE_SUBMIT_ACTION,
    REGRADE_ACTION,
    RELEASE_ACTION,
    START_ACTION,
    TAKEOVER_ACTION,
    attempt_release,
    client_ip,
)

RELEASE_PERMISSION = "exams.change_attempt"


class AttemptFilterSet(WagtailFilterSet):
    exam = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("exam paper", "Exam"), queryset=Exam.objects.order_by("-opens_at")
    )
    status = django_filters.ChoiceFilter(
        label=gettext_lazy("Status"), choices=Attempt.Status.choices
    )

    class Meta:
        model = Attempt
        fields = ["exam", "status"]


def _cadre(attempt) -> str:
    return attempt.user.get_full_name() or attempt.user.get_username()


def _unit(attempt) -> str:
    return attempt.user.unit.name if attempt.user.unit_id else ""


def _device_bound(attempt) -> bool:
    return bool(attempt.device_hash)


class AttemptIndexView(generic.IndexView):
    def get_base_queryset(self):
        return Attempt.objects.select_related("user", "user__unit", "exam")

    def _get_title_column(self, field_name, column_class=TitleColumn, **kwargs):
        # The cadre's name under the person's 姓名, with the row's buttons.
        return self._get_title_column_class(column_class)(
            field_name,
            label=pgettext_lazy("person", "Name"),
            accessor=_cadre,
            get_url=self.get_edit_url,
        )

    def get_edit_url(self, instance):
        # An attempt is not edited: its row leads to its history (the action log).
        return reverse("exams_attempt:history", args=[instance.pk])

    def get_add_url(self):
        return None

    def get_list_more_buttons(self, instance):
        buttons = [
            ListingButton(
                _("Action log"),
                url=reverse("exams_attempt:history", args=[instance.pk]),
                icon_name="history",
                priority=10,
            )
        ]
        if (
            instance.status == Attempt.Status.IN_PROGRESS
            and instance.device_hash
            and self.request.user.has_perm(RELEASE_PERMISSION)
        ):
            buttons.append(
                ListingButton(
                    _("Release from its device"),
                    url=reverse("exams_attempt:release", args=[instance.pk]),
                    icon_name="lock-open",
                    priority=20,
                )
            )
        return buttons


class AttemptHistoryView(history.HistoryView):
    # Our own title: the catalogue gives Wagtail's "History" the laws' meaning (沿革).
    page_title = gettext_lazy("Action log")
    # No "edit" button: an attempt has no edit page.
    header_buttons = []


class AttemptReleaseView(WagtailAdminTemplateMixin, View):
    """Confirm, then free the attempt: the next device to open it continues it."""

    template_name = "exams/admin/attempt_release.html"
    page_title = gettext_lazy("Release from its device")
    header_icon = "lock-open"

    def dispatch(self, request, pk):
        if not request.user.has_perm(RELEASE_PERMISSION):
            raise PermissionDenied
        self.attempt = get_object_or_404(Attempt.objects.select_related("user", "exam"), pk=pk)
        return super().dispatch(request, pk)

    def get_page_subtitle(self):
        return f"{_cadre(self.attempt)} · {self.attempt.exam.title}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("exams_attempt:index"), "label": Attempt._meta.verbose_name_plural},
            {"url": "", "label": self.get_page_title()},
        ]

    def get(self, request, pk, status=200):
        context = self.get_context_data(
            attempt=self.attempt,
            cadre=_cadre(self.attempt),
            index_url=reverse("exams_attempt:index") + f"?exam={self.attempt.exam_id}",
        )
        return TemplateResponse(request, self.template_name, context, status=status)

    def post(self, request, pk):
        try:
            attempt_release(attempt=self.attempt, by=request.user, ip=client_ip(request))
        except AttemptError as exc:
            messages.error(request, exc.message)
            return self.get(request, pk, status=409)
        messages.success(
            request,
            _("Released: %(cadre)s can continue on the next device that opens the exam.")
            % {"cadre": _cadre(self.attempt)},
        )
        return redirect(reverse("exams_attempt:index") + f"?exam={self.attempt.exam_id}")


class AttemptViewSet(ModelViewSet):
    model = Attempt
    icon = "tasks"
    menu_label = gettext_lazy("Exam attempts")
    add_to_admin_menu = False
    url_prefix = "exams/attempts"
    index_view_class = AttemptIndexView
    history_view_class = AttemptHistoryView
    filterset_class = AttemptFilterSet
    search_fields = None
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    ordering = "-started_at"
    list_per_page = 50
    list_display = [
        # A field name: Wagtail makes it the title column (see AttemptIndexView).
        "user",
        Column("unit", label=gettext_lazy("Unit"), accessor=_unit),
        Column("exam", label=pgettext_lazy("exam paper", "Exam"), accessor="exam"),
        Column("status", label=gettext_lazy("Status"), accessor="get_status_display"),
        Column("started_at", label=pgettext_lazy("attempt", "Started at"), sort_key="started_at"),
        Column("leave_count", label=gettext_lazy("Left the exam page"), sort_key="leave_count"),
        BooleanColumn("submitted_for_leaving", label=gettext_lazy("Submitted for leaving")),
        BooleanColumn(
            "device_hash", label=gettext_lazy("Bound to a device"), accessor=_device_bound
        ),
    ]

    def get_common_view_kwargs(self, **kwargs):
        # No add, edit, delete or usage pages to link to (see get_urlpatterns).
        return {
            **super().get_common_view_kwargs(**kwargs),
            "add_url_name": None,
            "edit_url_name": None,
            "delete_url_name": None,
            "usage_url_name": None,
        }

    def get_urlpatterns(self):
        # Listing, history and release only: attempts come from cadres, and are never
        # added, edited or deleted here.
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("history/<int:pk>/", self.history_view, name="history"),
            path("history-results/<int:pk>/", self.history_results_view, name="history_results"),
            path("release/<int:pk>/", AttemptReleaseView.as_view(), name="release"),
        ]


class AttemptLogFormatter(LogFormatter):
    """Shows where the action came from: the address is part of the audit."""

    def format_message(self, log_entry):
        ip = (log_entry.data or {}).get("ip")
        return f"{self.label} ({ip})" if ip else str(self.label)


def register_attempt_log_actions(actions):
    labels = {
        START_ACTION: gettext_lazy("Start an attempt"),
        TAKEOVER_ACTION: gettext_lazy("Continue the attempt on another device"),
        RELEASE_ACTION: gettext_lazy("Release the attempt from its device"),
        LEAVE_ACTION: gettext_lazy("Leave the exam page"),
        LEAVE_SUBMIT_ACTION: gettext_lazy("Submit automatically for leaving the exam page"),
        REGRADE_ACTION: gettext_lazy("Re-grade the attempt"),
        DEADLINE_SUBMIT_ACTION: gettext_lazy("Submitted automatically at the deadline"),
    }
    for action, label in labels.items():
        formatter = type("AttemptActionFormatter", (AttemptLogFormatter,), {"label": label})
        actions.register_action(action)(formatter)


VIEWSETS = [AttemptViewSet("exams_attempt")]
