"""StreamField blocks of a lesson: text, law articles, video, audio, documents, images,
key points."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock
from wagtailmedia.blocks import AbstractMediaChooserBlock

from courses.law_references import article_ref, inserted_ref, ref_label, refs_filter

_RANGE = re.compile(r"^\s*(\d+)\s*(?:[-–~至]\s*(\d+))?\s*$")


def parse_article_refs(text: str) -> list[tuple[int, int]]:
    """ "5, 7-9, 120之一" -> [(5, 0), (7, 0), (8, 0), (9, 0), (120, 1)]: (number, k) with k
    the 之N of an inserted article; raises ValueError with a reason a trainer understands."""
    refs: list[tuple[int, int]] = []
    for piece in re.split(r"[,，、;；\s]+", (text or "").strip()):
        if not piece:
            continue
        inserted = inserted_ref(piece)
        if inserted:
            refs.append(inserted)
            continue
        match = _RANGE.match(piece)
        if not match:
            raise ValueError(_("“%(piece)s” is not an article number or range") % {"piece": piece})
        start, end = int(match.group(1)), int(match.group(2) or match.group(1))
        if end < start or end - start > 50:
            raise ValueError(_("“%(piece)s” is not a sensible range") % {"piece": piece})
        refs.extend((number, 0) for number in range(start, end + 1))
    if not refs:
        raise ValueError(_("Give at least one article number"))
    return list(dict.fromkeys(refs))


class LawArticleBlock(blocks.StructBlock):
    law = SnippetChooserBlock("courses.Law", label=_("law"))
    articles = blocks.CharBlock(
        label=_("article numbers"),
        help_text=_("For example: 5, 7-9, 120之一"),
        max_length=100,
    )
    note = blocks.TextBlock(label=_("trainer's note"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("Law articles")
        template = "blocks/law_article.html"

    def clean(self, value):
        value = super().clean(value)
        try:
            refs = parse_article_refs(value["articles"])
        except ValueError as exc:
            raise blocks.StructBlockValidationError(
                block_errors={"articles": ValidationError(str(exc))}
            ) from exc
        law = value["law"]
        if law is not None:
            from courses.models import LawArticle

            rows = LawArticle.objects.filter(refs_filter(law.pk, refs))
            found = {article_ref(article) for article in rows}
            missing = [ref for ref in refs if ref not in found]
            if missing:
                raise blocks.StructBlockValidationError(
                    block_errors={
                        "articles": ValidationError(
                            _("%(law)s has no article %(numbers)s")
                            % {"law": law, "numbers": "、".join(ref_label(*r) for r in missing)}
                        )
                    }
                )
        return value

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context)
        law = value["law"]
        refs = parse_article_refs(value["articles"]) if law else []
        # Lessons prefetch their articles in one query (see LessonPage.get_context).
        prefetched = (parent_context or {}).get("law_articles", {})
        if law is not None and (law.pk, refs[0]) in prefetched:
            context["articles"] = [
                prefetched[(law.pk, ref)] for ref in refs if (law.pk, ref) in prefetched
            ]
        elif law is not None:
            from courses.models import LawArticle

            rows = LawArticle.objects.filter(refs_filter(law.pk, refs))
            found = {article_ref(article): article for article in rows}
            context["articles"] = [found[ref] for ref in refs if ref in found]
        return context


class MediaBlock(AbstractMediaChooserBlock):
    def render_basic(self, value, context=None):
        return ""


class VideoBlock(blocks.StructBlock):
    video = MediaBlock(label=_("video"), media_type="video")
    poster = ImageChooserBlock(label=_("poster image"), required=False)
    captions = DocumentChooserBlock(
        label=_("captions (WebVTT)"), required=False, help_text=_("A .vtt file")
    )
    required = blocks.BooleanBlock(
        label=_("must be watched to complete the lesson"), required=False, default=True
    )

    class Meta:
        icon = "media"
        label = _("Video")
        template = "blocks/video.html"

    def clean(self, value):
        value = super().clean(value)
        captions = value.get("captions")
        if captions is not None and not captions.file.name.lower().endswith(".vtt"):
            raise blocks.StructBlockValidationError(
                block_errors={"captions": ValidationError(_("Captions must be a .vtt file"))}
            )
        return value


def _captioned(kind: str, chooser: blocks.Block, *, icon: str, label) -> type:
    """The block class of one chosen file or picture with an optional caption under it:
    `kind` names its chooser's field and its template, blocks/<kind>.html. The chooser,
    made before the caption, comes first in the editor's form."""
    name = f"{kind.title()}Block"
    namespace = {
        kind: chooser,
        "caption": blocks.CharBlock(label=_("caption"), required=False),
        "Meta": type("Meta", (), {"icon": icon, "label": label, "template": f"blocks/{kind}.html"}),
        "__module__": __name__,
        "__qualname__": name,
    }
    return type(blocks.StructBlock)(name, (blocks.StructBlock,), namespace)


AudioBlock = _captioned(
    "audio", MediaBlock(label=_("audio"), media_type="audio"), icon="media", label=_("Audio")
)
DocumentBlock = _captioned(
    "document",
    DocumentChooserBlock(label=_("document")),
    icon="doc-full-inverse",
    label=_("Document"),
)
ImageBlock = _captioned(
    "image", ImageChooserBlock(label=_("image")), icon="image", label=_("Image")
)


class KeyPointBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, default="要点")
    text = blocks.RichTextBlock(label=_("text"), features=["bold", "italic", "ol", "ul"])

    class Meta:
        icon = "warning"
        label = _("Key point")
        template = "blocks/key_point.html"


class LessonBodyBlock(blocks.StreamBlock):
    text = blocks.RichTextBlock(
        label=pgettext_lazy("lesson block", "Text"),
        features=["h2", "h3", "bold", "italic", "ol", "ul", "link", "hr", "blockquote"],
        template="blocks/text.html",
    )
    law_articles = LawArticleBlock()
    video = VideoBlock()
    audio = AudioBlock()
    document = DocumentBlock()
    image = ImageBlock()
    key_point = KeyPointBlock()
