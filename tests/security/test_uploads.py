"""Upload validators (lms/uploads.py): a wrong file is refused with a clear message; the
Wagtail image, document and media forms use the same limits."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from lms import uploads


def _png(size=(4, 4)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "PNG")
    return buffer.getvalue()


def _refusal(validator, file) -> str:
    # The messages are asserted in English: pin the language rather than inherit whatever
    # an earlier test's request left active in this thread.
    with translation.override("en"), pytest.raises(ValidationError) as caught:
        validator(file)
    with translation.override("en"):
        return " ".join(caught.value.messages)


def test_a_real_picture_passes():
    uploads.validate_image(SimpleUploadedFile("photo.png", _png()))


@pytest.mark.parametrize(
    "name, content, says",
    [
        ("photo.png", b"<html><script>alert(1)</script>", "not a picture"),
        ("photo.exe", _png(), "JPEG, PNG"),
        ("photo.jpg", b"", "not a picture"),
    ],
)
def test_wrong_pictures_are_refused_with_a_message(name, content, says):
    assert says in _refusal(uploads.validate_image, SimpleUploadedFile(name, content))


def test_too_large_files_are_refused_with_the_limit(settings):
    settings.UPLOAD_LIMITS_MB = {**settings.UPLOAD_LIMITS_MB, "document": 1}
    big = SimpleUploadedFile("law.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 1))
    message = _refusal(uploads.document_validator, big)
    assert "too large" in message and "1 MB" in message


@pytest.mark.parametrize(
    "kind, name, content, ok",
    [
        ("document", "law.pdf", b"%PDF-1.7\n...", True),
        ("document", "law.pdf", b"MZ\x90\x00 an executable", False),
        ("document", "notes.docx", b"PK\x03\x04rest", True),
        ("document", "page.html", b"<html>", False),
        ("document", "captions.vtt", b"WEBVTT\n\n00:00.000 --> 00:01.000\n", True),
        ("video", "lesson.mp4", b"\x00\x00\x00\x18ftypmp42\x00\x00", True),
        ("video", "lesson.mp4", b"<html>not a video</html>", False),
        ("video", "lesson.avi", b"RIFF....AVI ", False),
        ("video", "lesson.webm", b"\x1a\x45\xdf\xa3\x9f", True),
        ("audio", "talk.mp3", b"ID3\x04\x00", True),
        ("evidence", "award.png", _png(), True),
        ("evidence", "award.png", b"not a png", False),
        ("evidence", "award.docx", b"PK\x03\x04", False),
    ],
)
def test_types_are_checked_by_extension_and_content(kind, name, content, ok):
    file = SimpleUploadedFile(name, content)
    if ok:
        uploads.validate_file(file, kind=kind)
    else:
        assert _refusal(lambda f: uploads.validate_file(f, kind=kind), file)


def test_wagtail_forms_use_the_validators(settings):
    from wagtail.documents.forms import get_document_base_form
    from wagtailmedia.forms import get_media_base_form

    assert get_document_base_form() is uploads.DocumentForm
    assert get_media_base_form() is uploads.MediaForm
    assert settings.WAGTAILIMAGES_MAX_UPLOAD_SIZE == 10 * 1024 * 1024


@pytest.mark.django_db
def test_the_admin_document_upload_refuses_a_disguised_file(client, roles):
    from django.urls import reverse
    from wagtail.models import Collection

    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True, mfa=True))
    response = client.post(
        reverse("wagtaildocs:add"),
        {
            "title": "法规汇编",
            "file": SimpleUploadedFile("law.pdf", b"<html>not a pdf</html>"),
            "collection": Collection.get_first_root_node().pk,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "not a PDF file" in response.content.decode()
