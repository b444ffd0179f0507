"""Serve uploaded media (course videos, subtitles, PDFs) with HTTP Range support.

For the embedded development/demo server only; production puts a real web server in
front of MEDIA_ROOT. ``django.views.static.serve`` ignores ``Range``, so phones
(Safari on iOS in particular, which refuses to play a video whose server does not
answer ``bytes=0-1`` with 206) could neither play nor seek.

Wire it with e.g. ``re_path(r"^media/(?P<path>.*)$", serve_media)``.

Note: GZipMiddleware would compress a streamed response and drop its Content-Length
and Content-Range; do not put it in front of this view.
"""

from __future__ import annotations

import mimetypes
import os
import re
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseNotAllowed,
    StreamingHttpResponse,
)
from django.utils._os import safe_join
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_etags, parse_http_date_safe

__all__ = ["serve_media"]

CHUNK_SIZE = 64 * 1024

# Top-level folders of MEDIA_ROOT that are private: bonus-award evidence is reached only
# through its permission-checked view (evaluation_award_evidence), never by its file name,
# here as in nginx (deploy/nginx.conf answers 404 for /media/evaluation/); the files of
# background imports (imports/) are read by the task only.
PRIVATE_DIRS = frozenset({"evaluation", "imports"})

# The platform's mimetypes table varies (Debian's lacks .vtt and .m4a, Windows reads
# the registry), so pin the types the course player depends on.
CONTENT_TYPES = {
    ".vtt": "text/vtt",
    ".srt": "application/x-subrip",
    ".mp4": "video/mp4",
    ".m4v": "video/mp4",
    ".webm": "video/webm",
    ".ogv": "video/ogg",
    ".mp3": "audio/mpeg",
    ".m4a": "audio/mp4",
    ".ogg": "audio/ogg",
    ".oga": "audio/ogg",
    ".wav": "audio/wav",
    ".pdf": "application/pdf",
}
# Serving foo.txt.gz as text/plain with Content-Encoding would make browsers
# decompress it; the file itself is the archive.
ENCODED_TYPES = {
    "gzip": "application/gzip",
    "bzip2": "application/x-bzip",
    "xz": "application/x-xz",
}

_RANGE_RE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE | re.ASCII)


class _Unsatisfiable(Exception):
    pass


def serve_media(request: HttpRequest, path: str) -> HttpResponseBase:
    if request.method not in ("GET", "HEAD"):
        return HttpResponseNotAllowed(["GET", "HEAD"])

    file_path = _resolve(path)
    try:
        stat = file_path.stat()
    except OSError:
        raise Http404 from None
    size = stat.st_size
    etag = f'"{stat.st_mtime_ns:x}-{size:x}"'
    last_modified = int(stat.st_mtime)
    validators = {
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Last-Modified": http_date(last_modified),
    }

    # If-Match / If-Unmodified-Since (412) and If-None-Match / If-Modified-Since (304),
    # in RFC 9110 section 13.2.2 order. That order puts them before Range, so a
    # matching If-None-Match answers 304 even when a range was asked for.
    conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if conditional is not None:
        return _with_headers(conditional, validators)

    byte_range = None
    if "Range" in request.headers and _if_range_matches(request, etag, last_modified):
        try:
            byte_range = _parse_range(request.headers["Range"], size)
        except _Unsatisfiable:
            return _with_headers(
                HttpResponse(status=416), {**validators, "Content-Range": f"bytes */{size}"}
            )

    start, end = byte_range or (0, size - 1)
    length = end - start + 1
    response: HttpResponseBase
    if request.method == "HEAD":
        response = HttpResponse()
    else:
        response = StreamingHttpResponse(_FileWindow(file_path, start, length))
    response.status_code = 206 if byte_range else 200
    headers = {
        **validators,
        "Content-Type": _content_type(file_path),
        "Content-Length": str(length),
        # Uploads come from many editors; never let a browser sniff a .vtt into HTML.
        "X-Content-Type-Options": "nosniff",
    }
    if byte_range:
        headers["Content-Range"] = f"bytes {start}-{end}/{size}"
    return _with_headers(response, headers)


def _with_headers(response: HttpResponseBase, headers: dict[str, str]) -> HttpResponseBase:
    for name, value in headers.items():
        response.headers[name] = value
    return response


def _resolve(path: str) -> Path:
    """Map the URL path onto a regular file inside MEDIA_ROOT, or raise Http404.

    Django has already percent-decoded the URL, so ``%2e%2e`` arrives as ``..``;
    whatever is left encoded is treated as a literal file name.
    """
    # A trailing slash names a directory, as open() would agree; Path() drops it.
    if not settings.MEDIA_ROOT or "\x00" in path or path.endswith("/"):
        raise Http404
    try:
        root = Path(settings.MEDIA_ROOT).resolve(strict=True)
        # safe_join rejects "../" and absolute paths lexically ...
        candidate = Path(safe_join(root, path)).resolve(strict=True)
    except (SuspiciousFileOperation, OSError, ValueError, RuntimeError):
        # OSError: missing; ValueError: odd characters; RuntimeError: symlink loop
        raise Http404 from None
    # ... and resolve() has followed symlinks, so this catches links pointing outside.
    if not candidate.is_relative_to(root) or not candidate.is_file():
        raise Http404
    # Checked on the resolved path, so neither "a/../evaluation" nor a symlink gets round it.
    if candidate.relative_to(root).parts[0] in PRIVATE_DIRS:
        raise Http404
    return candidate


def _if_range_matches(request: HttpRequest, etag: str, last_modified: int) -> bool:
    """True if the Range header applies: no If-Range, or it names the current file.

    A stale If-Range means the client's cached part belongs to an older file, so
    the whole new file is sent (200) instead of a mismatched piece.
    """
    value = request.headers.get("If-Range", "").strip()
    if not value:
        return True
    if value.startswith(('"', "W/")):
        # Strong comparison (RFC 9110 section 13.1.5): weak tags never match.
        return not value.startswith("W/") and etag in parse_etags(value)
    return parse_http_date_safe(value) == last_modified


def _parse_range(header: str, size: int) -> tuple[int, int] | None:
    """Return the inclusive (start, end) to send, or None to send the whole file.

    RFC 9110 section 14.2 lets a server ignore a Range header it cannot or will not
    honour, so anything malformed (garbage, other units, "bytes=5-2") and multiple
    ranges (we do not build multipart/byteranges) yield None, i.e. a plain 200.
    Raises _Unsatisfiable for a well-formed range that lies wholly past the end.
    """
    match = _RANGE_RE.match(header)
    if not match:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix: the final N bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise _Unsatisfiable
        return max(size - suffix, 0), size - 1
    start = int(first)
    if last and start > int(last):
        return None
    if start >= size:
        raise _Unsatisfiable
    end = min(int(last), size - 1) if last else size - 1
    return start, end


def _content_type(file_path: Path) -> str:
    suffix = file_path.suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    content_type, encoding = mimetypes.guess_type(file_path.name)
    if encoding:
        return ENCODED_TYPES.get(encoding, "application/octet-stream")
    return content_type or "application/octet-stream"


class _FileWindow:
    """Iterate over ``length`` bytes from ``start`` in chunks, opening the file lazily.

    StreamingHttpResponse calls close() when the response is done, also when the
    phone drops the connection mid-video, so the file handle is never leaked.
    """

    def __init__(self, file_path: Path, start: int, length: int):
        self.file_path = file_path
        self.start = start
        self.length = length
        self._file = None

    def __iter__(self) -> Iterator[bytes]:
        self._file = open(self.file_path, "rb")  # noqa: SIM115 - closed in close()
        self._file.seek(self.start, os.SEEK_SET)
        remaining = self.length
        while remaining > 0:
            chunk = self._file.read(min(CHUNK_SIZE, remaining))
            if not chunk:  # file shrank while streaming; Content-Length is now a lie
                break
            remaining -= len(chunk)
            yield chunk
        self.close()

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
