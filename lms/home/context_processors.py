"""Per-visitor display preferences every template needs."""

TEXT_SIZE_COOKIE = "large_text"


def large_text_enabled(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.large_text
    return request.COOKIES.get(TEXT_SIZE_COOKIE) == "1"


def site_preferences(request):
    return {"large_text": large_text_enabled(request)}
