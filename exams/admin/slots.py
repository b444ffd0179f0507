"""Exam slots in the admin (县里分批考试): HR and trainers give units the time their
cadres may start an exam. A viewset of its own rather than a panel of the paper's form,
so that HR sets slots without the right to edit papers (and reach the bank's keys)."""

import django_filters
from django import forms
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet

from exams.models import Exam, ExamSlot
from exams.services.slots import slot_problems

SLOT_PERMISSION = "exams.view_examslot"


class ExamSlotForm(WagtailAdminModelForm):
    """Checks a slot against its exam's open time and the exam's other slots."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "exam" in self.fields:
            self.fields["exam"].queryset = Exam.objects.exclude(kind=Exam.Kind.PRACTICE)

    def clean(self):
        cleaned = super().clean()
        exam, starts_at, ends_at = (cleaned.get(f) for f in ("exam", "starts_at", "ends_at"))
        if exam is None or starts_at is None or ends_at is None:
            return cleaned
        others = [
            (slot.starts_at, slot.ends_at, set(slot.units.all()))
            for slot in ExamSlot.objects.filter(exam=exam)
            .exclude(pk=self.instance.pk)
            .prefetch_related("units")
        ]
        problems = slot_problems(
            exam=exam,
            starts_at=starts_at,
            ends_at=ends_at,
            units=list(cleaned.get("units") or []),
            others=others,
        )
        for field, messages in problems.items():
            for message in messages:
                self.add_error(field, message)
        return cleaned


class ExamSlotFilterSet(WagtailFilterSet):
    exam = django_filters.ModelChoiceFilter(
        label=pgettext_lazy("exam paper", "Exam"),
        queryset=Exam.objects.exclude(kind=Exam.Kind.PRACTICE),
    )

    class Meta:
        model = ExamSlot
        fields = ["exam"]


class ExamSlotIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("exam").prefetch_related("units")


class ExamSlotCreateView(generic.CreateView):
    def get_initial(self):
        # From an exam's "exam slots" button: the new slot is for that exam.
        initial = super().get_initial()
        exam = self.request.GET.get("exam", "")
        if exam.isdigit():
            initial["exam"] = exam
        return initial


def _unit_names(slot) -> str:
    return pgettext("list separator", ", ").join(unit.name for unit in slot.units.all())


class ExamSlotViewSet(ModelViewSet):
    model = ExamSlot
    icon = "time"
    menu_label = gettext_lazy("Exam slots")
    add_to_admin_menu = True
    menu_order = 321
    url_prefix = "exams/slots"
    index_view_class = ExamSlotIndexView
    add_view_class = ExamSlotCreateView
    filterset_class = ExamSlotFilterSet
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    ordering = ["exam", "starts_at"]
    list_per_page = 50
    edit_handler = ObjectList(
        [
            FieldPanel("exam"),
            FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
            FieldPanel("units", widget=forms.CheckboxSelectMultiple),
        ],
        base_form_class=ExamSlotForm,
    )

    @cached_property
    def list_display(self):
        # A field name first: Wagtail makes it the title column that links to the edit.
        return ["__str__", Column("units", label=gettext_lazy("Units"), accessor=_unit_names)]


def slots_url(exam, *, add=False) -> str:
    name = "exams_slot:add" if add else "exams_slot:index"
    return reverse(name) + f"?exam={exam.pk}"


VIEWSETS = [ExamSlotViewSet("exams_slot")]
