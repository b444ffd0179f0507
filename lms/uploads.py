"""Upload validators shared by every form that takes a file: images are opened by Pillow,
other files are checked by extension, by their first bytes and by size, each refusal with
a message a trainer or a cadre understands. The limits are in settings.UPLOAD_LIMITS_MB."""

from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# What each kind may be, by extension, and how such a file starts. A renamed executable
# or HTML page is refused even with an allowed extension: browsers and phones sniff, so
# the name alone proves nothing.
SIGNATURES = {
    "pdf": [b"%PDF-"],
    "docx": [b"PK\x03\x04"],
    "xlsx": [b"PK\x03\x04"],
    "vtt": [b"WEBVTT", b"\xef\xbb\xbfWEBVTT"],
    "mp4": [],  # ISO media: checked by _is_iso_media
    "m4v": [],
    "mov": [],
    "m4a": [],
    "webm": [b"\x1a\x45\xdf\xa3"],
    "mp3": [b"ID3", b"\xff\xfb", b"\xff\xf3", b"\xff\xf2"],
    "aac": [b"\xff\xf1", b"\xff\xf9"],
    "ogg": [b"OggS"],
}
ISO_MEDIA = {"mp4", "m4v", "mov", "m4a"}
EVIDENCE_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]
IMAGE_EXTENSIONS = {"jpg", "jpeg", "png", "webp", "gif"}


def allowed_extensions(kind: str) -> list[str]:
    """Wagtail's own lists where Wagtail takes the file, so that its pickers and these
    checks never disagree; evidence is ours alone."""
    return {
        "document": settings.WAGTAILDOCS_EXTENSIONS,
        "video": settings.WAGTAILMEDIA["VIDEO_EXTENSIONS"],
        "audio": settings.WAGTAILMEDIA["AUDIO_EXTENSIONS"],
        "evidence": EVIDENCE_EXTENSIONS,
    }[kind]


def upload_limit_bytes(kind: str) -> int:
    return settings.UPLOAD_LIMITS_MB[kind] * 1024 * 1024


def _extension(name: str) -> str:
    return PurePath(name or "").suffix.lower().lstrip(".")


def _head(file, size: int = 16) -> bytes:
    position = file.tell() if hasattr(file, "tell") else 0
    file.seek(0)
    head = file.read(size)
    file.seek(position)
    return head


def _is_iso_media(head: bytes) -> bool:
    return len(head) >= 12 and head[4:8] == b"ftyp"


def validate_size(file, *, kind: str) -> None:
    limit = upload_limit_bytes(kind)
    if file.size > limit:
        raise ValidationError(
            _("The file is too large: %(size)d MB, at most %(limit)d MB.")
            % {"size": -(-file.size // (1024 * 1024)), "limit": limit // (1024 * 1024)},
            code="file_too_large",
        )


def validate_image(file, *, kind: str = "image") -> None:
    """Open the image with Pillow: a file that is not really an image is refused."""
    from PIL import Image, UnidentifiedImageError

    validate_size(file, kind=kind)
    if _extension(file.name) not in IMAGE_EXTENSIONS:
        raise ValidationError(
            _("Upload a photo or picture (JPEG, PNG, WebP or GIF)."), code="file_type"
        )
    position = file.tell()
    file.seek(0)
    try:
        with Image.open(file) as image:
            image.verify()
        # verify() reads only the headers: a truncated JPEG passes it, then fails with a
        # 500 when the admin makes its thumbnail. Decode it (a JPEG at 1/8 scale, cheap).
        file.seek(0)
        with Image.open(file) as image:
            image.draft("RGB", (256, 256))
            image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This file is not a picture that can be opened. Upload a JPEG or PNG photo."),
            code="file_not_image",
        ) from exc
    except Image.DecompressionBombError as exc:
        raise ValidationError(_("The picture is too large in pixels."), code="file_pixels") from exc
    finally:
        file.seek(position)


def validate_file(file, *, kind: str) -> None:
    """Size, extension and first bytes of a document, video, audio or evidence file."""
    validate_size(file, kind=kind)
    allowed = allowed_extensions(kind)
    extension = _extension(file.name)
    if extension not in allowed:
        raise ValidationError(
            _("This kind of file cannot be uploaded here. Allowed: %(types)s.")
            % {"types": ", ".join(allowed)},
            code="file_type",
        )
    if extension in IMAGE_EXTENSIONS:
        validate_image(file, kind=kind)
        return
    head = _head(file)
    fits = (
        _is_iso_media(head)
        if extension in ISO_MEDIA
        else head.startswith(tuple(SIGNATURES[extension]))
    )
    if not fits:
        raise ValidationError(
            _("The file's content is not a %(type)s file. Save it again as %(type)s and retry.")
            % {"type": extension.upper()},
            code="file_content",
        )


def document_validator(file):
    validate_file(file, kind="document")


def evidence_validator(file):
    validate_file(file, kind="evidence")


def _document_form():
    from wagtail.documents.forms import BaseDocumentForm

    class DocumentForm(BaseDocumentForm):
        """Wagtail's document form (WAGTAILDOCS_DOCUMENT_FORM_BASE) with our limits."""

        def clean_file(self):
            file = self.cleaned_data.get("file")
            if file and hasattr(file, "content_type"):  # a new upload, not the stored file
                validate_file(file, kind="document")
            return file

    return DocumentForm


def _media_form():
    from wagtailmedia.forms import BaseMediaForm

    class MediaForm(BaseMediaForm):
        """wagtailmedia's form (WAGTAILMEDIA["MEDIA_FORM_BASE"]) with our limits."""

        def clean_file(self):
            file = self.cleaned_data.get("file")
            if file and hasattr(file, "content_type"):
                validate_file(file, kind="audio" if self.instance.type == "audio" else "video")
            return file

        def clean_thumbnail(self):
            thumbnail = self.cleaned_data.get("thumbnail")
            if thumbnail and hasattr(thumbnail, "content_type"):
                validate_image(thumbnail)
            return thumbnail

    return MediaForm


def _image_form():
    from wagtail.images.fields import WagtailImageField
    from wagtail.images.forms import BaseImageForm

    class DecodedImageField(WagtailImageField):
        """Decodes the picture whole before Wagtail reads its size: Wagtail's own check
        (Willow) raises OSError on a truncated JPEG, a 500."""

        def to_python(self, data):
            if data and hasattr(data, "content_type"):
                validate_image(data)
            return super().to_python(data)

    class ImageForm(BaseImageForm):
        """Wagtail's image form (WAGTAILIMAGES_IMAGE_FORM_BASE): a damaged picture is a
        form error, not a 500."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            if "file" in self.fields:
                self.fields["file"].__class__ = DecodedImageField

    return ImageForm


_FORMS = {"DocumentForm": _document_form, "MediaForm": _media_form, "ImageForm": _image_form}
_built = {}


def __getattr__(name):
    # The form classes are built on first use: importing Wagtail's forms here at import
    # time would make every model module that uses the validators import Wagtail's admin.
    if name in _FORMS:
        if name not in _built:
            _built[name] = _FORMS[name]()
        return _built[name]
    raise AttributeError(name)
