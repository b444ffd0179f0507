"""The client's address: X-Forwarded-For only through a trusted proxy, right-most untrusted."""

import pytest
from django.test import RequestFactory

from lms.client_ip import client_ip


def _ip(remote, forwarded=None):
    headers = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    return client_ip(RequestFactory().get("/", **headers))


@pytest.mark.parametrize(
    ("proxies", "remote", "forwarded", "expected"),
    [
        # No trusted proxy: the header is the client's own claim, never believed.
        ([], "203.0.113.7", "10.0.0.1", "203.0.113.7"),
        ([], "127.0.0.1", "203.0.113.7", "127.0.0.1"),
        # From nginx: the address nginx appended.
        (["127.0.0.1"], "127.0.0.1", "203.0.113.7", "203.0.113.7"),
        # A forged left part is skipped: the right-most untrusted address wins.
        (["127.0.0.1"], "127.0.0.1", "1.2.3.4, 203.0.113.7", "203.0.113.7"),
        # Two proxies (a load balancer in a trusted network, then nginx).
        (["127.0.0.1", "10.0.0.0/8"], "127.0.0.1", "1.2.3.4, 203.0.113.7, 10.1.2.3", "203.0.113.7"),
        # A request not from the proxy keeps its own address, whatever it claims.
        (["127.0.0.1"], "198.51.100.9", "203.0.113.7", "198.51.100.9"),
        # Nothing forwarded, or garbage: the proxy's own address, never the garbage.
        (["127.0.0.1"], "127.0.0.1", None, "127.0.0.1"),
        (["127.0.0.1"], "127.0.0.1", "<script>", "127.0.0.1"),
        (["::1"], "::1", "2001:db8::5", "2001:db8::5"),
    ],
)
def test_client_ip(settings, proxies, remote, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    assert _ip(remote, forwarded) == expected
