"""Every URL pattern of ours, for every role, gets the status the access matrix says
(tests/security/access_matrix.py); a new URL without a row fails here."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from tests.security.access_matrix import MATRIX, NAMESPACES, ROLES, url_of

pytestmark = pytest.mark.django_db


def _patterns(patterns, prefix=""):
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith(tuple(NAMESPACES)):
                continue
            yield from _patterns(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and not route.startswith(tuple(NAMESPACES)):
            yield pattern.name or route


def test_every_url_pattern_is_in_the_matrix():
    missing = sorted(set(_patterns(get_resolver().url_patterns)) - set(MATRIX))
    assert not missing, f"URL patterns without a row in tests/security/access_matrix.py: {missing}"


def test_every_namespace_is_still_there():
    routes = {str(p.pattern) for p in get_resolver().url_patterns}
    assert set(NAMESPACES) <= routes | {"_util/"}


CELLS = [(name, role, index) for name in MATRIX for index, role in enumerate(ROLES)]


@pytest.mark.parametrize("name, role, index", CELLS, ids=[f"{n}-{r}" for n, r, _ in CELLS])
def test_access(name, role, index, client_as, matrix_objects):
    method, args, expected = MATRIX[name]
    url = url_of(name, args, matrix_objects)
    response = getattr(client_as(role), method.lower())(url)
    assert response.status_code == expected[index], (url, response.get("Location"))


NAMESPACE_CELLS = [
    (method, url, index, expected)
    for checks in NAMESPACES.values()
    for method, url, expected in checks
    for index in range(len(ROLES))
]


@pytest.mark.parametrize(
    "method, url, index, expected",
    NAMESPACE_CELLS,
    ids=[f"{url}-{ROLES[index]}" for _m, url, index, _e in NAMESPACE_CELLS],
)
def test_namespace_access(method, url, index, expected, client_as, matrix_objects):
    url = url.format(**matrix_objects)
    response = getattr(client_as(ROLES[index]), method.lower())(url)
    assert response.status_code == expected[index], (url, response.get("Location"))
