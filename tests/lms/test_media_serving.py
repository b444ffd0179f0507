"""Tests for lms.media_serving: Range requests, validators and path safety."""

import os
import types

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.urls import re_path, resolve
from django.utils.http import http_date

from lms import media_serving
from lms.media_serving import serve_media

# Closing a response fires request_finished, which checks the database connection.
pytestmark = pytest.mark.django_db

SIZE = 1000
DATA = bytes(i % 251 for i in range(SIZE))  # no period that lines up with SIZE

# A URLconf like the project's, to check what the view receives after Django has
# percent-decoded the URL.
URLS = types.ModuleType("media_urls")
URLS.urlpatterns = [re_path(r"^media/(?P<path>.*)$", serve_media)]


@pytest.fixture
def media(tmp_path, settings):
    root = tmp_path / "media"
    (root / "sub").mkdir(parents=True)
    (root / "video.mp4").write_bytes(DATA)
    (root / "sub" / "clip.webm").write_bytes(b"webm")
    (root / "empty.mp4").write_bytes(b"")
    (tmp_path / "secret.txt").write_bytes(b"top secret")
    settings.MEDIA_ROOT = str(root)
    return root


def request(path, method="get", **headers):
    req = getattr(RequestFactory(), method)(f"/media/{path}", headers=headers)
    return serve_media(req, path)


def body(response):
    if not response.streaming:
        return response.content
    try:
        return b"".join(response.streaming_content)
    finally:
        response.close()


def assert_full(response, data=DATA):
    assert response.status_code == 200
    assert response["Content-Length"] == str(len(data))
    assert "Content-Range" not in response
    assert body(response) == data


# --- full responses -------------------------------------------------------------


def test_full_file(media):
    response = request("video.mp4")
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/mp4"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"] == http_date(int(os.stat(media / "video.mp4").st_mtime))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert_full(response)


def test_file_in_subdirectory(media):
    assert_full(request("sub/clip.webm"), b"webm")


def test_empty_file(media):
    assert_full(request("empty.mp4"), b"")


def test_head_has_headers_but_no_body(media):
    response = request("video.mp4", method="head")
    assert response.status_code == 200
    assert response["Content-Length"] == str(SIZE)
    assert response["Accept-Ranges"] == "bytes"
    assert body(response) == b""


def test_head_with_range(media):
    response = request("video.mp4", method="head", Range="bytes=10-19")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 10-19/{SIZE}"
    assert response["Content-Length"] == "10"
    assert body(response) == b""


@pytest.mark.parametrize("method", ["post", "put", "delete", "patch", "options"])
def test_other_methods_are_not_allowed(media, method):
    response = request("video.mp4", method=method)
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"


# --- ranges ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),  # first bytes
        ("bytes=0-1", 0, 1),  # Safari's probe
        ("bytes=500-599", 500, 599),  # middle
        ("bytes=100-", 100, SIZE - 1),  # open-ended
        ("bytes=0-", 0, SIZE - 1),
        ("bytes=-500", SIZE - 500, SIZE - 1),  # suffix
        ("bytes=-5000", 0, SIZE - 1),  # suffix longer than the file
        ("bytes=900-5000", 900, SIZE - 1),  # end clamped
        ("bytes=999-999", 999, 999),  # last byte
        ("Bytes = 5 - 9", 5, 9),  # unit is case-insensitive, spaces tolerated
    ],
)
def test_partial_content(media, header, start, end):
    response = request("video.mp4", Range=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {start}-{end}/{SIZE}"
    assert response["Content-Length"] == str(end - start + 1)
    assert response["Content-Type"] == "video/mp4"
    assert body(response) == DATA[start : end + 1]


@pytest.mark.parametrize("header", [f"bytes={SIZE}-", "bytes=5000-6000", "bytes=-0"])
def test_unsatisfiable_range(media, header):
    response = request("video.mp4", Range=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{SIZE}"
    assert response["Accept-Ranges"] == "bytes"


def test_any_range_of_an_empty_file_is_unsatisfiable(media):
    response = request("empty.mp4", Range="bytes=0-")
    assert response.status_code == 416
    assert response["Content-Range"] == "bytes */0"


@pytest.mark.parametrize(
    "header",
    [
        "garbage",
        "bytes=5-2",  # start > end
        "bytes=-",
        "bytes=abc-",
        "bytes=1-2-3",
        "bytes=0-1,5-6",  # multiple ranges: no multipart, whole file instead
        "bytes=0-1, 2000-3000",
        "items=0-5",
        "",
    ],
)
def test_malformed_or_multiple_ranges_are_ignored(media, header):
    assert_full(request("video.mp4", Range=header))


def test_large_window_is_streamed_in_chunks(media):
    data = os.urandom(media_serving.CHUNK_SIZE * 3 + 123)
    (media / "big.mp4").write_bytes(data)
    start, end = 1000, media_serving.CHUNK_SIZE * 2 + 5000
    response = request("big.mp4", Range=f"bytes={start}-{end}")
    chunks = list(response.streaming_content)
    response.close()
    assert len(chunks) == 3
    assert all(len(c) <= media_serving.CHUNK_SIZE for c in chunks)
    assert b"".join(chunks) == data[start : end + 1]


def test_file_is_opened_lazily_and_closed(media, monkeypatch):
    windows = []

    class RecordingWindow(media_serving._FileWindow):
        def __init__(self, *args):
            super().__init__(*args)
            windows.append(self)

    monkeypatch.setattr(media_serving, "_FileWindow", RecordingWindow)
    response = request("video.mp4", Range="bytes=0-9")
    [window] = windows
    assert window._file is None
    next(iter(response.streaming_content))
    assert window._file is not None
    response.close()  # what the server does when a phone drops the connection
    assert window._file is None


# --- conditional requests ---------------------------------------------------------


def validators(media):
    response = request("video.mp4", method="head")
    return response["ETag"], response["Last-Modified"]


def test_if_none_match(media):
    etag, _ = validators(media)
    response = request("video.mp4", If_None_Match=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response["Accept-Ranges"] == "bytes"
    assert request("video.mp4", If_None_Match='"other"').status_code == 200
    assert request("video.mp4", If_None_Match="*").status_code == 304


def test_if_modified_since(media):
    _, last_modified = validators(media)
    assert request("video.mp4", If_Modified_Since=last_modified).status_code == 304
    assert request("video.mp4", If_Modified_Since=http_date(0)).status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 section 13.2.2)
    response = request("video.mp4", If_None_Match='"other"', If_Modified_Since=last_modified)
    assert response.status_code == 200


def test_not_modified_takes_precedence_over_range(media):
    # RFC 9110 evaluates If-None-Match before Range.
    etag, _ = validators(media)
    assert request("video.mp4", If_None_Match=etag, Range="bytes=0-9").status_code == 304


def test_if_match_mismatch_is_412(media):
    assert request("video.mp4", If_Match='"other"').status_code == 412


def test_if_range_with_current_etag_or_date_gives_206(media):
    etag, last_modified = validators(media)
    assert request("video.mp4", Range="bytes=0-9", If_Range=etag).status_code == 206
    assert request("video.mp4", Range="bytes=0-9", If_Range=last_modified).status_code == 206


@pytest.mark.parametrize(
    "if_range", ['"stale"', "W/{etag}", "Thu, 01 Jan 1970 00:00:00 GMT", "not a date"]
)
def test_stale_if_range_gives_the_whole_file(media, if_range):
    etag, _ = validators(media)
    response = request("video.mp4", Range="bytes=0-9", If_Range=if_range.format(etag=etag))
    assert_full(response)


def test_etag_changes_when_the_file_changes(media):
    etag, _ = validators(media)
    (media / "video.mp4").write_bytes(DATA + b"more")
    assert validators(media)[0] != etag


# --- content types ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("subs.vtt", "text/vtt"),
        ("clip.mp4", "video/mp4"),
        ("CLIP.MP4", "video/mp4"),
        ("clip.webm", "video/webm"),
        ("talk.mp3", "audio/mpeg"),
        ("talk.m4a", "audio/mp4"),
        ("handout.pdf", "application/pdf"),
        ("photo.png", "image/png"),
        ("notes.txt.gz", "application/gzip"),
        ("blob.unknownext", "application/octet-stream"),
        ("README", "application/octet-stream"),
    ],
)
def test_content_types(media, name, content_type):
    (media / name).write_bytes(b"x")
    assert request(name)["Content-Type"] == content_type


# --- what must be 404 -------------------------------------------------------------


@pytest.fixture
def links(media, tmp_path):
    (media / "link-out.txt").symlink_to(tmp_path / "secret.txt")
    (media / "dir-out").symlink_to(tmp_path)
    (media / "link-in.mp4").symlink_to(media / "video.mp4")
    (media / "loop").symlink_to(media / "loop")
    return media


@pytest.mark.parametrize(
    "path",
    [
        "../secret.txt",
        "sub/../../secret.txt",
        "./../secret.txt",
        "..",
        "/etc/passwd",
        "//etc/passwd",
        "%2e%2e/secret.txt",  # a literal name once Django has decoded the URL
        "..%2fsecret.txt",
        "..\\secret.txt",
        "video.mp4\x00.txt",
        "\x00",
        "link-out.txt",  # symlink to a file outside MEDIA_ROOT
        "dir-out/secret.txt",  # symlinked directory leading outside
        "loop",  # symlink loop
        "",  # MEDIA_ROOT itself
        "sub",  # directory
        "sub/",
        "missing.mp4",
        "sub/missing.webm",
        "video.mp4/",
    ],
)
def test_not_found(links, path):
    with pytest.raises(Http404):
        request(path)


def test_absolute_path_of_a_real_file_outside_media_root(media, tmp_path):
    with pytest.raises(Http404):
        request(str(tmp_path / "secret.txt"))


def test_symlink_inside_media_root_is_served(links):
    assert_full(request("link-in.mp4"))


@pytest.mark.parametrize("url", ["/media/%2e%2e/secret.txt", "/media/sub/%2E%2E/%2e%2e/secret.txt"])
def test_percent_encoded_traversal_through_url_resolution(media, url):
    req = RequestFactory().get(url)
    match = resolve(req.path_info, urlconf=URLS)
    assert ".." in match.kwargs["path"]
    with pytest.raises(Http404):
        match.func(req, **match.kwargs)


def test_unconfigured_media_root(media, settings):
    settings.MEDIA_ROOT = ""
    with pytest.raises(Http404):
        request("video.mp4")


def test_files_waiting_for_a_background_import_are_not_served(media):
    # A roster waiting for its import holds cadres' names and phone numbers.
    (media / "imports").mkdir()
    (media / "imports" / "abc.xlsx").write_bytes(b"PK")
    with pytest.raises(Http404):
        request("imports/abc.xlsx")
