"""Admin inputs that used to answer 500: a damaged picture in the image library is a form
error; a chooser's chosen/ URL with an id that is not a number is a 404."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from wagtail.images import get_image_model

from lms.accounts.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(roles, township):
    return UserFactory(unit=township["township"], role=Role.ADMIN, is_superuser=True, mfa=True)


def _truncated_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, "JPEG", quality=95)
    return buffer.getvalue()[: len(buffer.getvalue()) // 2]


def test_a_truncated_jpeg_is_a_form_error_in_the_single_upload(admin):
    upload = SimpleUploadedFile("photo.jpg", _truncated_jpeg(), content_type="image/jpeg")
    response = client_for(admin).post(
        reverse("wagtailimages:add"), {"title": "照片", "file": upload, "collection": 1}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert not get_image_model().objects.exists()


def test_a_truncated_jpeg_is_a_form_error_in_the_multiple_upload(admin):
    upload = SimpleUploadedFile("photo.jpg", _truncated_jpeg(), content_type="image/jpeg")
    response = client_for(admin).post(
        reverse("wagtailimages:add_multiple"), {"files[]": upload, "collection": 1}
    )
    assert response.status_code < 500
    assert response.json()["success"] is False
    assert not get_image_model().objects.exists()


@pytest.mark.parametrize(
    "chooser",
    ["/admin/exams/questions/", "/admin/images/chooser/", "/admin/documents/chooser/",
     "/admin/snippets/choose/courses/law/"],
)  # fmt: skip
@pytest.mark.parametrize("tail", ["chosen/x/", "chosen//", "chosen/1.5/", "chosen-multiple/?id=x"])
def test_a_chooser_with_a_bad_id_answers_404(admin, chooser, tail):
    assert client_for(admin).get(chooser + tail).status_code == 404


def test_a_chooser_with_a_missing_object_answers_404(admin):
    assert client_for(admin).get("/admin/images/chooser/chosen/999/").status_code == 404
