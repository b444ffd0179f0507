"""Law texts out of what a trainer uploads: one or several Markdown files, or a ZIP of them
(a county's library), checked before anything is read into memory.

A ZIP's directory is read first (declared sizes, no decompression) and refused if it holds
too many texts or a text too large, so a small archive cannot unpack into gigabytes;
zipfile never inflates an entry past its declared size, so the declaration binds.
"""

import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Laws arrive as Markdown files of up to ~220 KB (the Criminal Law).
MAX_LAW_FILE_BYTES = 2 * 1024 * 1024
MAX_TEXTS_PER_UPLOAD = 200
MAX_ZIP_UNPACKED_MB = 50
TEXT_SUFFIXES = (".md", ".markdown", ".txt")


@dataclass(frozen=True)
class LawText:
    name: str  # the file name, or its path inside the ZIP
    text: str


def _decode(name: str, data: bytes) -> LawText:
    try:
        return LawText(name, data.decode("utf-8"))
    except UnicodeDecodeError:
        raise ValidationError(
            _("%(name)s is not UTF-8 text. Save it as UTF-8 and upload it again.") % {"name": name}
        ) from None


def _too_large(name: str) -> ValidationError:
    return ValidationError(
        _("%(name)s is larger than 2 MB; is it really one law?") % {"name": name}
    )


def _zip_texts(upload) -> list[LawText]:
    try:
        archive = zipfile.ZipFile(upload)
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ValidationError(
            _("%(name)s is not a ZIP file that can be read.") % {"name": upload.name}
        ) from None
    wanted = [
        entry
        for entry in entries
        if not entry.is_dir()
        and PurePosixPath(entry.filename).suffix.lower() in TEXT_SUFFIXES
        and PurePosixPath(entry.filename).name.lower() != "readme.md"
        and not entry.filename.startswith("__MACOSX/")
    ]
    if len(wanted) > MAX_TEXTS_PER_UPLOAD:
        raise ValidationError(
            _(
                "%(name)s holds more than %(limit)d law texts: split it, or import the "
                "folder with manage.py import_law."
            )
            % {"name": upload.name, "limit": MAX_TEXTS_PER_UPLOAD}
        )
    for entry in wanted:
        if entry.file_size > MAX_LAW_FILE_BYTES:
            raise _too_large(entry.filename)
    if sum(entry.file_size for entry in wanted) > MAX_ZIP_UNPACKED_MB * 1024 * 1024:
        raise ValidationError(
            _("%(name)s unpacks to more than %(limit)d MB: split it into smaller archives.")
            % {"name": upload.name, "limit": MAX_ZIP_UNPACKED_MB}
        )
    if not wanted:
        raise ValidationError(
            _("%(name)s holds no Markdown law text (.md).") % {"name": upload.name}
        )
    return [_decode(entry.filename, archive.read(entry)) for entry in wanted]


def law_texts_read(uploads) -> list[LawText]:
    """The law texts of the uploaded files, in order; ValidationError names the first
    file that cannot be one (nothing is imported then)."""
    texts: list[LawText] = []
    for upload in uploads:
        name = upload.name.lower()
        if name.endswith(".zip"):
            texts += _zip_texts(upload)
            continue
        if not name.endswith(TEXT_SUFFIXES):
            raise ValidationError(
                _("%(name)s is not a Markdown file (.md) or a ZIP of them.") % {"name": upload.name}
            )
        if upload.size > MAX_LAW_FILE_BYTES:
            raise _too_large(upload.name)
        texts.append(_decode(upload.name, upload.read()))
    if len(texts) > MAX_TEXTS_PER_UPLOAD:
        raise ValidationError(
            _("Upload at most %(limit)d law texts at a time.") % {"limit": MAX_TEXTS_PER_UPLOAD}
        )
    return texts
