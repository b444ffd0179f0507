"""Wagtail admin for training sessions and attendance."""

import django_filters
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton

from courses.models import TrainingSession
from courses.selectors_training import (
    attendance_checklist,
    can_run_session,
    sessions_with_attendee_count,
)
from courses.services.training import training_attendance_mark, training_attendance_unmark
from lms.accounts.models import User
from lms.accounts.roles import Role


def _trainer_choices():
    return User.objects.filter(
        is_active=True, groups__name__in=[Role.TRAINER, Role.HR, Role.ADMIN]
    ).distinct()


class TrainingSessionForm(WagtailAdminModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer staff as trainers rather than the whole roster; keep whoever is already
        # set, so editing an older session never drops its trainer.
        trainers = _trainer_choices()
        if self.instance.trainer_id:
            trainers = User.objects.filter(
                Q(pk__in=trainers.values("pk")) | Q(pk=self.instance.trainer_id)
            )
        self.fields["trainer"].queryset = trainers.order_by("name", "username")


class TrainingSessionFilterSet(WagtailFilterSet):
    starts_at = django_filters.DateFromToRangeFilter(
        label=gettext_lazy("Date"), widget=DateRangePickerWidget
    )
    trainer = django_filters.ModelChoiceFilter(
        label=gettext_lazy("Trainer"),
        queryset=lambda request: User.objects.filter(
            pk__in=TrainingSession.objects.values("trainer")
        ).order_by("name"),
    )

    class Meta:
        model = TrainingSession
        fields = ["starts_at", "trainer"]


class TrainingSessionIndexView(generic.IndexView):
    def get_base_queryset(self):
        return sessions_with_attendee_count(super().get_base_queryset())

    def get_list_buttons(self, instance):
        attendance = _session_link(
            ListingButton, _("Attendance"), "training_attendance", instance, "tasks", 5
        )
        return [attendance, *super().get_list_buttons(instance)]

    def get_list_more_buttons(self, instance):
        qr = _session_link(
            MenuItem, _("Show the check-in code"), "training_qr", instance, "view", 40
        )
        return [*super().get_list_more_buttons(instance), qr]


def _session_link(kind, label, url_name, session, icon_name, priority):
    """A link from a session's row to one of the session's pages: the button beside the
    row (ListingButton) or an entry of its menu (MenuItem)."""
    url = reverse(url_name, args=[session.pk])
    return kind(label, url=url, icon_name=icon_name, priority=priority)


class TrainingSessionViewSet(ModelViewSet):
    model = TrainingSession
    icon = "group"
    add_to_admin_menu = True
    menu_order = 300
    index_view_class = TrainingSessionIndexView
    edit_handler = ObjectList(TrainingSession.panels, base_form_class=TrainingSessionForm)
    list_display = [
        "topic",
        "starts_at",
        "place",
        "trainer",
        "credit_hours",
        Column("attendee_count", label=gettext_lazy("Checked in"), sort_key="attendee_count"),
    ]
    filterset_class = TrainingSessionFilterSet
    search_fields = ["topic", "place"]
    # Plain LIKE on two short columns: always up to date, unlike a search index.
    search_backend_name = None
    ordering = "-starts_at"


def _pks(values) -> set[int]:
    return {int(value) for value in values if value.isascii() and value.isdigit()}


def training_attendance_view(request, pk):
    """The trainer's checklist: tick who was there, untick who was marked by mistake.

    The form sends back which cadres were shown as present, so that only the boxes the
    trainer changed count: a cadre who checks in by phone while the page is open is not
    removed by submitting a stale page.
    """
    session = get_object_or_404(TrainingSession.objects.select_related("trainer"), pk=pk)
    if not can_run_session(user=request.user, session=session):
        raise PermissionDenied
    status = 200
    if request.method == "POST":
        ticked = _pks(request.POST.getlist("present"))
        shown = _pks(request.POST.getlist("shown"))
        changed = {user.pk: user for user in User.objects.filter(pk__in=ticked ^ shown)}
        try:
            with transaction.atomic():
                marked = training_attendance_mark(
                    session=session,
                    users=[changed[pk] for pk in ticked - shown if pk in changed],
                    by=request.user,
                )
                removed = training_attendance_unmark(
                    session=session,
                    users=[changed[pk] for pk in shown - ticked if pk in changed],
                    by=request.user,
                )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            status = 400
        else:
            messages.success(
                request,
                _("Attendance saved: %(marked)d marked present, %(removed)d removed.")
                % {"marked": len(marked), "removed": removed},
            )
            return redirect("training_attendance", pk=session.pk)
    checklist = attendance_checklist(session=session)
    context = {
        "session": session,
        "checklist": checklist,
        "present_count": sum(1 for user in checklist if user.checked_in_at),
        "edit_url": (
            reverse("training_sessions:edit", args=[session.pk])
            if request.user.has_perm("courses.change_trainingsession")
            else None
        ),
    }
    return render(request, "courses/admin/training_attendance.html", context, status=status)


VIEWSETS = [TrainingSessionViewSet("training_sessions")]
ADMIN_URLS = [
    path(
        "training/<int:pk>/attendance/",
        training_attendance_view,
        name="training_attendance",
    ),
]
