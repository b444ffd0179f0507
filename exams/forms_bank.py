"""Admin forms of the question bank: one form for a question and its current version's
content, the import upload, and the category form."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.images import get_image_model
from wagtail.images.widgets import AdminImageChooser

from exams.importers import FORMATS
from exams.importers.common import equal_share
from exams.kinds import CHOICE_KINDS
from exams.models import Question, QuestionCategory, QuestionKind
from exams.models.bank import CHOICE_KEYS
from exams.services.bank import (
    FALSE_TEXT,
    TRUE_TEXT,
    choices_normalize,
    question_validate,
)

# The formats by the names their files go by (the codes are what the command line takes).
FORMAT_NAMES = {"xlsx": "XLSX", "csv": "CSV", "moodle-xml": "Moodle XML", "gift": "GIFT"}
MAX_IMPORT_BYTES = 20 * 1024 * 1024
_ALTERNATIVES = ("/", "／")


def _blanks_to_text(blanks) -> str:
    return "\n".join(" / ".join(alternatives) for alternatives in blanks)


def _text_to_blanks(text: str) -> list[list[str]]:
    blanks = []
    for line in (text or "").splitlines():
        if not line.strip():
            continue
        for sep in _ALTERNATIVES[1:]:
            line = line.replace(sep, _ALTERNATIVES[0])
        blanks.append([a.strip() for a in line.split(_ALTERNATIVES[0]) if a.strip()])
    return blanks


class QuestionForm(WagtailAdminModelForm):
    """Edits a Question and its current version together; the view saves through
    question_create / question_update so versioning rules apply."""

    stem = forms.CharField(
        label=_("Stem"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Plain text or simple HTML; write ____ where a blank goes."),
    )
    stem_image = forms.ModelChoiceField(
        label=_("Add an image to the stem"),
        queryset=get_image_model().objects.all(),
        required=False,
        widget=AdminImageChooser,
    )
    truefalse_answer = forms.ChoiceField(
        label=_("Correct answer (true or false)"),
        choices=[("", "—"), ("true", TRUE_TEXT), ("false", FALSE_TEXT)],
        required=False,
    )
    blanks_text = forms.CharField(
        label=_("Blanks"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One line per blank; accepted answers separated by /, e.g. 二年/两年."),
    )
    explanation = forms.CharField(
        label=_("Explanation"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    class Meta:
        model = Question
        fields = [
            "category",
            "kind",
            "difficulty",
            "default_points",
            "status",
            "law",
            "law_articles",
            "law_reference",
            "tags",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key in CHOICE_KEYS:
            self.fields[f"choice_{key}_text"] = forms.CharField(
                label=_("Choice %(key)s") % {"key": key}, required=False
            )
            self.fields[f"choice_{key}_correct"] = forms.BooleanField(
                label=_("Correct"), required=False
            )
            self.fields[f"choice_{key}_fraction"] = forms.DecimalField(
                label=_("Score share"),
                required=False,
                min_value=Decimal(-1),
                max_value=Decimal(1),
                decimal_places=7,
                help_text=_("Optional: partial credit or penalty, -1 to 1."),
            )
        if not self.instance.pk:
            # A new question starts active; retiring is an edit.
            del self.fields["status"]
        version = self.instance.current_version if self.instance.pk else None
        if version is not None:
            self.initial.update(
                stem=version.stem,
                explanation=version.explanation,
                blanks_text=_blanks_to_text(version.blanks),
            )
            if self.instance.kind == QuestionKind.TRUEFALSE and version.choices:
                first_correct = Decimal(version.choices[0]["fraction"]) == 1
                self.initial["truefalse_answer"] = "true" if first_correct else "false"
            else:
                self._choices_initial(version.choices)

    def top_fields(self):
        names = ("category", "kind", "difficulty", "default_points", "status")
        return [self[name] for name in names if name in self.fields]

    def law_fields(self):
        return [self[name] for name in ("law", "law_articles", "law_reference", "tags")]

    def _choices_initial(self, choices):
        positives = sum(1 for c in choices if Decimal(c["fraction"]) > 0)
        plain = {Decimal(0), Decimal(1)} | ({equal_share(positives)} if positives else set())
        for key, choice in zip(CHOICE_KEYS, choices, strict=False):
            fraction = Decimal(choice["fraction"])
            self.initial[f"choice_{key}_text"] = choice["text"]
            self.initial[f"choice_{key}_correct"] = fraction > 0
            # Only unusual shares (Moodle partial credit, penalties) are shown, so the
            # ordinary case stays a matter of ticking boxes.
            if fraction not in plain:
                self.initial[f"choice_{key}_fraction"] = fraction

    def choice_rows(self):
        return [
            (
                key,
                self[f"choice_{key}_text"],
                self[f"choice_{key}_correct"],
                self[f"choice_{key}_fraction"],
            )
            for key in CHOICE_KEYS
        ]

    def _choices(self, kind) -> list[dict]:
        data = self.cleaned_data
        if kind == QuestionKind.TRUEFALSE:
            correct = data.get("truefalse_answer")
            if not correct:
                self.add_error("truefalse_answer", _("Choose the correct answer."))
                return []
            return [
                {"text": TRUE_TEXT, "fraction": 1 if correct == "true" else 0},
                {"text": FALSE_TEXT, "fraction": 0 if correct == "true" else 1},
            ]
        rows = [
            (
                (data.get(f"choice_{key}_text") or "").strip(),
                data.get(f"choice_{key}_correct"),
                data.get(f"choice_{key}_fraction"),
            )
            for key in CHOICE_KEYS
        ]
        while rows and not rows[-1][0]:
            rows.pop()
        correct = sum(1 for _text, is_correct, fraction in rows if is_correct and fraction is None)
        share = Decimal(1) if kind == QuestionKind.SINGLE or not correct else equal_share(correct)
        return [
            {
                "text": text,
                "fraction": fraction if fraction is not None else (share if is_correct else 0),
            }
            for text, is_correct, fraction in rows
        ]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if not kind:
            return data
        stem = data.get("stem") or ""
        image = data.get("stem_image")
        if image is not None:
            stem += format_html('<p><img src="{}" alt="{}"></p>', image.file.url, image.title)
        choices = self._choices(kind) if kind in CHOICE_KINDS else []
        blanks = _text_to_blanks(data.get("blanks_text")) if kind == QuestionKind.BLANK else []
        try:
            normalized = choices_normalize(choices)
            question_validate(kind=kind, stem=stem, choices=normalized, blanks=blanks)
        except ValidationError as exc:
            field_map = {
                "stem": "stem",
                "blanks": "blanks_text",
                "kind": "kind",
                "choices": "truefalse_answer" if kind == QuestionKind.TRUEFALSE else None,
            }
            for field, messages in exc.message_dict.items():
                for message in messages:
                    self.add_error(field_map.get(field), message)
        self.content = {
            "kind": kind,
            "stem": stem,
            "choices": choices,
            "blanks": blanks,
            "explanation": data.get("explanation") or "",
        }
        return data

    def metadata(self) -> dict:
        data = self.cleaned_data
        # The type travels with the content (it decides how choices are read).
        return {f: data[f] for f in self.Meta.fields if f in data and f != "kind"}


class QuestionImportForm(forms.Form):
    file = forms.FileField(
        label=_("Question file"),
        help_text=_("The XLSX template (or CSV), a Moodle XML export, or a GIFT file."),
    )
    format = forms.ChoiceField(
        label=pgettext_lazy("file format", "Format"),
        required=False,
        choices=[("", _("Guess from the file")), *((f, FORMAT_NAMES.get(f, f)) for f in FORMATS)],
    )
    category = forms.CharField(
        label=_("Category"),
        required=False,
        max_length=300,
        help_text=_(
            "Optional, e.g. 2021年新法/行政处罚法: the questions go under it, and the "
            "file's own categories below it."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("The file is larger than 20 MB."))
        return upload


class QuestionCategoryForm(WagtailAdminModelForm):
    class Meta:
        model = QuestionCategory
        fields = ["name", "parent"]
