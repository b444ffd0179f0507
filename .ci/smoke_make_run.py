"""CI's proof that the README's first command works: `make run` on a free port, sign in as
the printed demo cadre over HTTP (CSRF and all), open the home page, stop the server.

Standard library only: it runs with the system Python before anything else is known to work.
"""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

BOOT_SECONDS = 600  # a fresh clone installs, migrates and seeds before it serves


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fail(message: str, log_path: str) -> None:
    print(f"make run smoke: FAILED: {message}", file=sys.stderr)
    with open(log_path, encoding="utf-8", errors="replace") as log:
        print("---- last lines of make run ----", file=sys.stderr)
        print("".join(log.readlines()[-40:]), file=sys.stderr)
    sys.exit(1)


def wait_for(url: str, server: subprocess.Popen, log_path: str) -> None:
    deadline = time.monotonic() + BOOT_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            fail(f"make run exited with {server.returncode} before serving", log_path)
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(1)
    fail(f"{url} did not answer 200 within {BOOT_SECONDS} s", log_path)


def printed_cadre_login(log_path: str) -> tuple[str, str]:
    with open(log_path, encoding="utf-8") as log:
        text = log.read()
    password = re.search(r"password for all: (\S+)\)", text)
    # The cadre is the login that is a mobile number (the role's label is translated).
    cadre = re.search(r"^\s+\S+\s+(1\d{10})\s", text, re.MULTILINE)
    if not (password and cadre):
        fail("make run did not print the demo cadre's login", log_path)
    return cadre.group(1), password.group(1)


def sign_in_and_open_home(base: str, login: str, password: str, log_path: str) -> None:
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with opener.open(f"{base}/accounts/login/", timeout=30) as response:
        form = response.read().decode("utf-8")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if not token:
        fail("the sign-in page has no CSRF token", log_path)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token.group(1), "login": login, "password": password}
    ).encode()
    request = urllib.request.Request(
        f"{base}/accounts/login/", data=data, headers={"Referer": f"{base}/accounts/login/"}
    )
    with opener.open(request, timeout=30) as response:
        landed = response.geturl()
    if "/accounts/login/" in landed:
        fail(f"signing in as {login} did not leave the sign-in page", log_path)
    with opener.open(f"{base}/", timeout=30) as response:
        home = response.read().decode("utf-8")
        status = response.status
    if status != 200 or "/accounts/logout/" not in home:
        fail(f"the home page answered {status} without a signed-in page", log_path)
    print(f"make run smoke: signed in as {login} and opened {base}/ (200)")


def main() -> None:
    port = free_port()
    log_path = os.path.join(tempfile.gettempdir(), f"make-run-{port}.log")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    with open(log_path, "w") as log:
        server = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,  # its own process group, so runserver's child stops too
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/accounts/login/", server, log_path)
        login, password = printed_cadre_login(log_path)
        sign_in_and_open_home(base, login, password, log_path)
    finally:
        try:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=20)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
    os.remove(log_path)


if __name__ == "__main__":
    main()
