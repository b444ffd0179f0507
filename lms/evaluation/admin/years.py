"""Year schemes in the admin (HR): the scheme with its grade bands and bonus rules, and
finalising, reopening and recomputing a year."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import ListingButton

from ..models import EvaluationYear
from ..selectors import year_unresolved
from ..services import evaluation_year_finalise, evaluation_year_reopen, grade_bands_ensure
from ..services.years import FINALISE_PERMISSION
from .actions import ActionView


class EvaluationYearForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        if self.instance.pk and self.instance.is_finalised:
            raise ValidationError(
                _("This year is finalised: reopen it before changing its scheme.")
            )
        bands = self.formsets.get("grade_bands")
        if bands is not None and bands.is_valid():
            kept = [
                f.cleaned_data
                for f in bands.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE")
            ]
            names = [band["name"] for band in kept]
            scores = [band["min_score"] for band in kept]
            if len(set(names)) != len(names) or len(set(scores)) != len(scores):
                raise ValidationError(_("Each grade band needs its own name and lowest score."))
            if kept and min(scores) != 0:
                raise ValidationError(_("The lowest grade band must start at 0."))
        return cleaned


YEAR_PANELS = [
    FieldPanel("year"),
    FieldRowPanel([FieldPanel("required_credit_hours"), FieldPanel("bonus_cap")]),
    FieldRowPanel(
        [FieldPanel("study_weight"), FieldPanel("exam_weight"), FieldPanel("quiz_share")]
    ),
    MultiFieldPanel(
        [FieldPanel("top_band_requires_pass"), FieldPanel("leaderboard_visible")],
        heading=gettext_lazy("Grades and ranks"),
    ),
    InlinePanel(
        "grade_bands",
        heading=gettext_lazy("Grade bands"),
        label=gettext_lazy("Grade band"),
        help_text=gettext_lazy("Leave empty for 优秀 90, 良好 80, 合格 60, 不合格 0."),
    ),
    InlinePanel(
        "bonus_rules", heading=gettext_lazy("Automatic bonus rules"), label=gettext_lazy("Rule")
    ),
]


class EvaluationYearCreateView(generic.CreateView):
    def save_instance(self):
        instance = super().save_instance()
        grade_bands_ensure(evaluation_year=instance)
        return instance


def results_url(evaluation_year) -> str:
    return reverse("evaluation_results") + f"?year={evaluation_year.year}"


class EvaluationYearIndexView(generic.IndexView):
    def get_list_buttons(self, instance):
        buttons = [
            ListingButton(_("Results"), url=results_url(instance), icon_name="table", priority=5)
        ]
        if self.request.user.has_perm(FINALISE_PERMISSION):
            actions = (
                [(_("Reopen"), "undo", "evaluation_year_reopen")]
                if instance.is_finalised
                else [
                    (_("Finalise"), "lock", "evaluation_year_finalise"),
                    (_("Recompute"), "resubmit", "evaluation_year_recompute"),
                ]
            )
            buttons += [
                ListingButton(
                    label, icon_name=icon, priority=6 + n, url=reverse(name, args=[instance.pk])
                )
                for n, (label, icon, name) in enumerate(actions)
            ]
        return [*buttons, *super().get_list_buttons(instance)]


class EvaluationYearViewSet(ModelViewSet):
    model = EvaluationYear
    icon = "date"
    add_to_admin_menu = True
    menu_order = 900
    add_view_class = EvaluationYearCreateView
    index_view_class = EvaluationYearIndexView
    edit_handler = ObjectList(YEAR_PANELS, base_form_class=EvaluationYearForm)
    list_display = [
        "year",
        "status",
        "required_credit_hours",
        "study_weight",
        "exam_weight",
        "bonus_cap",
        "updated_at",
    ]
    copy_view_enabled = False


# Finalising, reopening, recomputing ----------------------------------------------------


class ReopenForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), widget=forms.Textarea({"rows": 3}))


class FinaliseForm(forms.Form):
    """With anything unresolved, HR confirms by ticking a box that names it."""

    confirm = forms.BooleanField(required=True)

    def __init__(self, *args, unresolved, **kwargs):
        super().__init__(*args, **kwargs)
        counts = [
            (
                unresolved.pending_award_count,
                "%(counter)s bonus award still pending",
                "%(counter)s bonus awards still pending",
            ),
            (
                unresolved.open_attempt_count,
                "%(counter)s attempt still open",
                "%(counter)s attempts still open",
            ),
            (
                unresolved.cadres_without_result_count,
                "%(counter)s cadre without an exam result",
                "%(counter)s cadres without an exam result",
            ),
        ]
        # The same messages as the list's headings above, naming only what is there.
        items = pgettext("list separator", ", ").join(
            ngettext(singular, plural, count) % {"counter": count}
            for count, singular, plural in counts
            if count
        )
        self.fields["confirm"].label = _(
            "I know of these (%(items)s): finalise the year as it stands."
        ) % {"items": items}
        self.fields["confirm"].error_messages["required"] = _(
            "Tick the box to confirm, or resolve these first."
        )


class YearActionView(ActionView):
    """An action on one year: its title and success message name the year."""

    permission = FINALISE_PERMISSION

    def get_object(self):
        return get_object_or_404(EvaluationYear, pk=self.kwargs["pk"])

    def get_page_title(self):
        return self.page_title % {"year": self.object}

    def get_back_url(self):
        return reverse("evaluation_years:index")

    def get_success_message(self):
        return self.success_message % {"year": self.object}


class YearFinaliseView(YearActionView):
    page_title = gettext_lazy("Finalise %(year)s")
    intro = gettext_lazy(
        "Every cadre's result is computed now and frozen. Later study credit, exam "
        "attempts or awards change nothing in it, unless the year is reopened."
    )
    actions = [("finalise", gettext_lazy("Finalise"))]
    success_message = gettext_lazy("%(year)s is finalised.")

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.unresolved = year_unresolved(evaluation_year=self.object)

    def get_form(self):
        if not self.unresolved:
            return None
        return FinaliseForm(self.request.POST or None, unresolved=self.unresolved)

    def get_context_data(self, **kwargs):
        return super().get_context_data(unresolved=self.unresolved, **kwargs)

    def perform(self, form):
        evaluation_year_finalise(year=self.object, by=self.request.user)

    def get_success_url(self):
        return results_url(self.object)


class YearReopenView(YearActionView):
    page_title = gettext_lazy("Reopen %(year)s")
    intro = gettext_lazy(
        "The frozen results are kept; live results are shown again until the year is "
        "finalised again. The reason is logged."
    )
    form_class = ReopenForm
    actions = [("reopen", gettext_lazy("Reopen"))]
    success_message = gettext_lazy("%(year)s is open again.")

    def perform(self, form):
        evaluation_year_reopen(
            year=self.object, by=self.request.user, reason=form.cleaned_data["reason"]
        )


class YearRecomputeView(YearActionView):
    """Queues the year's computation; a finalised year is refused before anything runs."""

    page_title = gettext_lazy("Recompute %(year)s")
    intro = gettext_lazy("Live results are recomputed from study credit, exams and awards.")
    actions = [("recompute", gettext_lazy("Recompute"))]
    success_message = gettext_lazy("Recomputing %(year)s has started.")

    def post(self, request, *args, **kwargs):
        from ..tasks import year_compute_task

        if self.object.is_finalised:
            messages.error(request, _("A finalised year is not recomputed; reopen it first."))
            return redirect(self.get_back_url())
        year_compute_task.enqueue(year=self.object.year)
        messages.success(request, self.get_success_message())
        return redirect(results_url(self.object))
