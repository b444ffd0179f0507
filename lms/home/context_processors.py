"""Per-visitor display preferences every template needs."""

TEXT_SIZE_COOKIE = "large_text"


def large_text_enabled(request) -> bool:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return user.large_text
    return request.COOKIES.get(TEXT_SIZE_COOKIE) == "1"


def site_preferences(request):
    return {"large_text": large_text_enabled(request)}


# Which tab of the bottom navigation a path belongs to; the first prefix that matches
# wins, so the practice pages under /exams/ come before the exam list.
NAV_TABS = (
    ("practice", ("/practice/", "/exams/daily/", "/exams/mistakes/")),
    ("me", ("/me/", "/evaluation/", "/accounts/", "/unit/", "/study/credits/")),
    ("me", ("/exams/certificates/",)),
    ("exams", ("/exams/",)),
    ("study", ("/courses/", "/laws/", "/training/", "/search/")),
)


def nav_tab(path: str) -> str:
    if path == "/":
        return "home"
    if path.startswith("/exams/attempts/") and "/certificate/" in path:
        return "me"
    return next((tab for tab, prefixes in NAV_TABS if path.startswith(prefixes)), "")


def bottom_nav(request):
    return {"nav_tab": nav_tab(request.path)}
