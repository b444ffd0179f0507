"""Wagtail pages of the catalogue: the catalogue itself, courses, and lessons."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from courses.audience import CategorySetField
from courses.blocks import LessonBodyBlock
from lms.model_fields import optional_reference

from .laws import LawCategory
from .progress import credit_hours_field


def _current_year():
    return timezone.localdate().year


class StudyPageMixin:
    """Course and lesson pages are for signed-in cadres of the page's audience only."""

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        from courses.selectors import course_is_visible_to

        course = self if isinstance(self, CoursePage) else self.get_parent().specific
        if not course_is_visible_to(course=course, user=request.user):
            raise Http404
        return super().serve(request, *args, **kwargs)


class CourseIndexPage(Page):
    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["courses.CoursePage"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogues")

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            from django.contrib.auth.views import redirect_to_login

            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import catalogue_for

        context = super().get_context(request, *args, **kwargs)
        context.update(catalogue_for(user=request.user, index=self, params=request.GET))
        return context


class CoursePage(StudyPageMixin, Page):
    summary = models.TextField(_("summary"), blank=True)
    cover_image = optional_reference("wagtailimages.Image", _("cover image"))
    year = models.PositiveSmallIntegerField(
        pgettext_lazy("evaluation year", "year"),
        default=_current_year,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
        db_index=True,
    )
    law_category = models.CharField(
        _("law category"), max_length=20, choices=LawCategory.choices, default=LawCategory.OTHER
    )
    laws = ParentalManyToManyField("courses.Law", verbose_name=_("laws"), blank=True)
    is_required = models.BooleanField(_("required course"), default=True)
    credit_hours = credit_hours_field(5, Decimal("1.0"), non_negative=True)
    audience_units = ParentalManyToManyField(
        "accounts.OrgUnit",
        verbose_name=_("audience units"),
        blank=True,
        help_text=_("Empty means every unit. A unit includes the units below it."),
    )
    audience_categories = CategorySetField(
        _("audience categories"), help_text=_("Empty means every category.")
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("credit_hours"), FieldPanel("is_required")]),
        FieldRowPanel([FieldPanel("law_category"), FieldPanel("laws")]),
        MultiFieldPanel(
            [FieldPanel("audience_units"), FieldPanel("audience_categories")],
            heading=_("Audience"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.FilterField("year"),
        index.FilterField("law_category"),
        index.FilterField("is_required"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.LessonPage"]

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("courses")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import course_outline

        context = super().get_context(request, *args, **kwargs)
        context.update(course_outline(course=self, user=request.user))
        return context


class LessonPage(StudyPageMixin, Page):
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"), blank=True)
    estimated_minutes = models.PositiveSmallIntegerField(
        _("estimated minutes"), default=10, validators=[MinValueValidator(1)]
    )
    credit_hours = credit_hours_field(4, Decimal("0.5"))
    is_required = models.BooleanField(_("required lesson"), default=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel(
            [FieldPanel("estimated_minutes"), FieldPanel("credit_hours"), FieldPanel("is_required")]
        ),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lessons")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import lesson_study_context

        context = super().get_context(request, *args, **kwargs)
        preview = getattr(request, "is_preview", False)
        context.update(lesson_study_context(lesson=self, user=request.user, preview=preview))
        return context

    def get_preview_template(self, request, mode_name):
        # The lesson as the cadre sees it, without the study script: a preview records
        # neither study time nor video watching.
        return "courses/lesson_preview.html"
