"""The law library: laws and their ordered articles."""

import re

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.search import index

from courses.law_markdown import chinese_numeral_to_int
from courses.law_search import grams_text
from lms.model_fields import optional_reference

_INSERTED_SUFFIX = re.compile(r"条之([一二三四五六七八九十]+)$")


class LawCategory(models.TextChoices):
    CONSTITUTION = "constitution", _("Constitution and related laws")
    ADMINISTRATIVE = "administrative", _("Administrative law")
    CIVIL = "civil", _("Civil and commercial law")
    CRIMINAL = "criminal", _("Criminal law")
    ECONOMIC = "economic", _("Economic law")
    SOCIAL = "social", _("Social law")
    PROCEDURAL = "procedural", _("Procedural law")
    LOCAL = "local", _("Local regulation")
    OTHER = "other", _("Other")


class LawStatus(models.TextChoices):
    IN_FORCE = "in_force", _("In force")
    AMENDED = "amended", _("Amended")
    REPEALED = "repealed", _("Repealed")
    NOT_YET = "not_yet", _("Not yet in force")


class LawKind(models.TextChoices):
    """The rank of a legal text (法律, 行政法规…), by which the library filters."""

    LAW = "law", pgettext_lazy("law kind", "Law")
    ADMINISTRATIVE_REGULATION = "admin_regulation", _("Administrative regulation")
    JUDICIAL_INTERPRETATION = "judicial_interpretation", _("Judicial interpretation")
    DEPARTMENTAL_RULE = "departmental_rule", _("Departmental rule")
    LOCAL_REGULATION = "local_regulation", _("Local regulation")
    AMENDMENT = "amendment", _("Amendment")


class Law(index.Indexed, ClusterableModel):
    title = models.CharField(_("title"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(
        pgettext_lazy("law", "slug"), max_length=80, unique=True, allow_unicode=False
    )
    document_number = models.CharField(_("document number"), max_length=100, blank=True)
    issuing_body = models.CharField(_("issuing body"), max_length=200, blank=True)
    promulgation_date = models.DateField(_("promulgation date"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True, db_index=True)
    category = models.CharField(
        _("category"), max_length=20, choices=LawCategory.choices, default=LawCategory.OTHER
    )
    status = models.CharField(
        _("status"), max_length=12, choices=LawStatus.choices, default=LawStatus.IN_FORCE
    )
    kind = models.CharField(
        pgettext_lazy("law", "kind"), max_length=24, choices=LawKind.choices, default=LawKind.LAW
    )
    # An amending act (修正案) points at the law it changes, when that law is in the library.
    amends = optional_reference("self", _("amends"), related_name="amendments")
    # The earlier text of this law (行政处罚法 2017 for its 2021 revision), kept as it was.
    previous_version = optional_reference(
        "self", _("previous version"), related_name="next_version", field=models.OneToOneField
    )
    history = models.TextField(_("adoption and revision history"), blank=True)
    # Text before the first article (the Constitution's 序言, an interpretation's purpose)
    # and the appendices after the last (附件一…): [{"title": "附件一", "text": "…"}].
    preamble = models.TextField(_("preamble"), blank=True)
    appendices = models.JSONField(_("appendices"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    panels = [
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("short_name"), FieldPanel("slug")]),
        FieldRowPanel([FieldPanel("document_number"), FieldPanel("issuing_body")]),
        FieldRowPanel([FieldPanel("promulgation_date"), FieldPanel("effective_date")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("category"), FieldPanel("status")]),
        FieldPanel("amends"),
        FieldPanel("preamble"),
        MultiFieldPanel(
            [FieldPanel("history")], heading=pgettext_lazy("law", "History"), classname="collapsed"
        ),
    ]
    # Articles are edited in their own listing ("Law articles"): a law such as the Civil
    # Code's contracts book has 526 of them, too many for one inline form.
    search_fields = [
        index.SearchField("title", boost=3),
        index.SearchField("short_name", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("document_number"),
        index.FilterField("category"),
        index.FilterField("status"),
        index.FilterField("kind"),
        index.FilterField("effective_date"),
    ]

    class Meta:
        ordering = ["-effective_date", "title"]
        verbose_name = _("law")
        verbose_name_plural = _("laws")

    def __str__(self):
        return self.short_name or self.title

    def get_absolute_url(self):
        return reverse("law_detail", args=[self.slug])


class LawArticle(index.Indexed, models.Model):
    law = ParentalKey(Law, verbose_name=_("law"), on_delete=models.CASCADE, related_name="articles")
    sort_order = models.PositiveIntegerField(default=0, editable=False)
    number = models.PositiveIntegerField(_("article number"))
    label = models.CharField(
        pgettext_lazy("law article", "label"), max_length=30, help_text=_("For example 第八十六条")
    )
    part = models.CharField(_("part"), max_length=100, blank=True)
    chapter = models.CharField(_("chapter"), max_length=100, blank=True)
    section = models.CharField(_("section"), max_length=100, blank=True)
    text = models.TextField(_("text"))
    # Against the law's other version (courses/services/law_versions.py): on the newer
    # text "changed", "added" or "renumbered"; on the older one "changed", "removed" or
    # "renumbered"; `counterpart` is the article's label in the other version.
    change = models.CharField(max_length=12, blank=True, default="")
    counterpart = models.CharField(max_length=30, blank=True, default="")
    # The text's character bigrams, for Chinese search (courses/law_search.py).
    search_grams = models.TextField(blank=True, default="", editable=False)

    panels = [
        FieldPanel("law"),
        FieldRowPanel([FieldPanel("number"), FieldPanel("label")]),
        FieldRowPanel([FieldPanel("chapter"), FieldPanel("section")]),
        FieldPanel("text"),
    ]
    search_fields = [index.SearchField("text"), index.FilterField("law_id")]

    class Meta:
        ordering = ["law", "sort_order", "number"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(fields=["law", "label"], name="law_article_label_unique")
        ]
        indexes = [models.Index(fields=["law", "number"])]

    def __str__(self):
        return f"{self.law} {self.label}"

    def save(self, *args, **kwargs):
        # Edited in the admin: keep the search bigrams in step with the text.
        self.search_grams = grams_text(self.text)
        if kwargs.get("update_fields") is not None and "text" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_grams"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return f"{self.law.get_absolute_url()}#{self.anchor}"

    @property
    def anchor(self):
        """#article-120 for 第一百二十条, #article-120-1 for 第一百二十条之一."""
        if self.label.endswith("条"):
            return f"article-{self.number}"
        inserted = _INSERTED_SUFFIX.search(self.label)
        if inserted:
            return f"article-{self.number}-{chinese_numeral_to_int(inserted.group(1))}"
        return f"article-{self.pk}"
