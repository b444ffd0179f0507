"""The question chooser a trainer picks a paper's fixed questions with: active questions,
substring search."""

from django import forms
from django.utils.translation import gettext_lazy, pgettext_lazy
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import chooser as chooser_views
from wagtail.admin.viewsets.chooser import ChooserViewSet

from exams.models import (
    Question,
    QuestionKind,
    QuestionStatus,
)

# --- question chooser (active questions, substring search) ---------------------------


class QuestionChooserFilterForm(BaseFilterForm):
    q = forms.CharField(label=gettext_lazy("Search the stem"), required=False)
    kind = forms.ChoiceField(
        label=pgettext_lazy("question", "Type"),
        choices=[("", pgettext_lazy("question", "All types")), *QuestionKind.choices],
        required=False,
    )

    def filter(self, objects):
        query = self.cleaned_data.get("q")
        if query:
            # Substring search: Chinese has no spaces for a full-text index to split at.
            objects = objects.filter(stem_text__icontains=query)
            self.is_searching = True
            self.search_query = query
        if self.cleaned_data.get("kind"):
            objects = objects.filter(kind=self.cleaned_data["kind"])
        return objects


class QuestionChooseMixin:
    filter_form_class = QuestionChooserFilterForm

    @property
    def columns(self):
        return [
            self.title_column,
            Column("kind", label=pgettext_lazy("question", "Type"), accessor="get_kind_display"),
            Column("category", label=gettext_lazy("Category")),
        ]


class QuestionChooseView(QuestionChooseMixin, chooser_views.ChooseView):
    pass


class QuestionChooseResultsView(QuestionChooseMixin, chooser_views.ChooseResultsView):
    pass


class QuestionChooserViewSet(ChooserViewSet):
    model = Question
    icon = "help"
    choose_one_text = gettext_lazy("Choose a question")
    choose_another_text = gettext_lazy("Choose another question")
    choose_view_class = QuestionChooseView
    choose_results_view_class = QuestionChooseResultsView
    # The widget is used explicitly by the exam form; the question bank decides what other
    # forms use.
    register_widget = False
    per_page = 20

    def get_object_list(self):
        return Question.objects.filter(
            status=QuestionStatus.ACTIVE, current_version__isnull=False
        ).select_related("category")


question_chooser = QuestionChooserViewSet("exams_question_chooser", url_prefix="exams/questions")
