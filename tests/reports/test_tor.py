"""The onion service and the reverse proxy (deploy/tor/torrc, deploy/nginx/beyondreach.conf,
docs/tor.md), checked by the real programs: Debian's tor and nginx, which `./tnr test`
installs when they are missing. These tests fail rather than skip without them.

On the onion host only the public reporting pages exist: the Django test checks the
application's own rule, the nginx test checks it again through the proxy as tor reaches it.
"""

from __future__ import annotations

import base64
import getpass
import hashlib
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.signals import request_started
from django.test import Client, override_settings

from .conftest import OpenChannel

REPO = Path(__file__).resolve().parents[2]
TORRC = REPO / "deploy" / "tor" / "torrc"
NGINX_CONF = REPO / "deploy" / "nginx" / "beyondreach.conf"
DEBIAN_TOR_DEFAULTS = Path("/usr/share/tor/tor-service-defaults-torrc")
HTTPS_NAME = "tnr.example.org"
ONION_RE = re.compile(r"[a-z2-7]{56}\.onion")


def program(name: str, package: str) -> str:
    found = shutil.which(name, path=f"{os.environ.get('PATH', '')}:/usr/sbin:/sbin")
    if found is None:
        pytest.fail(
            f"`{name}` is missing: install Debian's {package} package "
            f"(`apt-get install {package}`; `./tnr test` installs it)."
        )
    return found


def replace(text: str, old: str, new: str, count: int = 1) -> str:
    """Replace exactly `count` occurrences, so a changed deploy file breaks the test loudly."""
    assert text.count(old) == count, f"expected {count} x {old!r} in the deploy file"
    return text.replace(old, new)


# -- onion names -------------------------------------------------------------------------


def onion_name(public_key: bytes) -> str:
    """A v3 onion name: base32(public key | checksum | version 3), rend-spec-v3 section 6."""
    version = b"\x03"
    checksum = hashlib.sha3_256(b".onion checksum" + public_key + version).digest()[:2]
    return base64.b32encode(public_key + checksum + version).decode().lower() + ".onion"


def onion_public_key(name: str) -> bytes:
    """The Ed25519 public key a v3 onion name carries, after checking its checksum."""
    assert ONION_RE.fullmatch(name), name
    raw = base64.b32decode(name.removesuffix(".onion").upper())
    public_key, version = raw[:32], raw[34:]
    assert version == b"\x03"
    assert onion_name(public_key) == name, "bad checksum"
    return public_key


ONION = onion_name(bytes(range(32)))


# -- tor ---------------------------------------------------------------------------------


def torrc_in(tmp_path: Path, *extra: str) -> Path:
    """deploy/tor/torrc with its two directories moved into tmp_path (mode 0700, as tor wants)."""
    data = tmp_path / "data"
    data.mkdir(mode=0o700)
    text = TORRC.read_text()
    text = re.sub(r"(?m)^DataDirectory .*$", f"DataDirectory {data}", text)
    text, n = re.subn(r"(?m)^HiddenServiceDir .*$", f"HiddenServiceDir {tmp_path / 'hs'}/", text)
    assert n == 1 and f"DataDirectory {data}" in text
    path = tmp_path / "torrc"
    path.write_text(text + "".join(f"{line}\n" for line in extra))
    return path


def test_the_torrc_is_valid_for_debians_tor(tmp_path: Path) -> None:
    tor = program("tor", "tor")
    (tmp_path / "empty").write_text("")
    result = subprocess.run(
        [
            tor,
            "--verify-config",
            "--defaults-torrc",
            str(tmp_path / "empty"),
            "-f",
            str(torrc_in(tmp_path)),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Configuration was valid" in result.stdout
    # No warning but tor's advice against running as root (the test may run as root).
    warnings = [
        line
        for line in result.stdout.splitlines()
        if "[warn]" in line and "running Tor as root" not in line
    ]
    assert warnings == []


def test_under_debians_service_defaults_no_socks_port_and_no_relay_remain(
    tmp_path: Path,
) -> None:
    """Debian's unit adds SocksPort 9050 and a SOCKS socket; the torrc must replace both."""
    tor = program("tor", "tor")
    assert DEBIAN_TOR_DEFAULTS.exists(), "Debian's tor package provides the service defaults"
    result = subprocess.run(
        [
            tor,
            "--dump-config",
            "full",
            "--hush",
            "--defaults-torrc",
            str(DEBIAN_TOR_DEFAULTS),
            "-f",
            str(torrc_in(tmp_path)),
            "--User",
            getpass.getuser(),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    config = result.stdout.splitlines()
    assert [line for line in config if line.startswith("SocksPort ")] == ["SocksPort 0"]
    assert "ORPort 0" in config
    assert "ExitRelay 0" in config
    assert "HiddenServicePort 80 127.0.0.1:8080" in config


@pytest.fixture
def running_tor(tmp_path: Path) -> Iterator[tuple[subprocess.Popen[bytes], Path, Path]]:
    """tor started with the deploy torrc, offline (DisableNetwork 1), logging to a file."""
    tor = program("tor", "tor")
    (tmp_path / "empty").write_text("")
    torrc = torrc_in(tmp_path, "DisableNetwork 1", "Log notice stdout")
    log = tmp_path / "tor.log"
    with log.open("wb") as out:
        process = subprocess.Popen(
            [tor, "--defaults-torrc", str(tmp_path / "empty"), "-f", str(torrc)],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        yield process, tmp_path / "hs", log
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_tor_makes_a_v3_onion_address_from_the_torrc(
    running_tor: tuple[subprocess.Popen[bytes], Path, Path],
) -> None:
    process, service_dir, log = running_tor
    hostname = service_dir / "hostname"
    deadline = time.monotonic() + 30
    while not hostname.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
    assert hostname.exists(), f"no hostname file after 30 s; tor said:\n{log.read_text()}"
    assert process.poll() is None, f"tor stopped:\n{log.read_text()}"

    name = hostname.read_text().strip()
    assert ONION_RE.fullmatch(name), name
    # The name is the service's public key (with a valid checksum and version 3): the key
    # files in the service directory are the address, which docs/tor.md says to back up.
    public_key_file = (service_dir / "hs_ed25519_public_key").read_bytes()
    assert public_key_file.startswith(b"== ed25519v1-public: type0 ==")
    assert onion_public_key(name) == public_key_file[-32:]
    assert (service_dir / "hs_ed25519_secret_key").exists()
    assert (service_dir.stat().st_mode & 0o777) == 0o700


# -- the application on the onion host ---------------------------------------------------

STAFF_AND_API = ["/login/", "/incidents/", "/api/v1/openapi.json", "/reports/"]


def test_the_onion_host_sees_only_the_public_reporting_pages(open_channel: OpenChannel) -> None:
    slug = open_channel.channel.slug
    # On the ordinary host the staff pages and the API exist (a page, or a way to log in).
    for path in STAFF_AND_API:
        assert Client().get(path).status_code != 404, path

    with override_settings(REPORTS_PUBLIC_HOSTS=[ONION], ALLOWED_HOSTS=["testserver", ONION]):
        onion = Client(HTTP_HOST=ONION)  # a new Client builds the middleware chain anew
        for path in STAFF_AND_API:
            assert onion.get(path).status_code == 404, path
        assert onion.get("/r/nonexistent/").status_code == 404
        assert onion.get("/r/nonexistent/en/").status_code == 404
        for path in ["", "en/", "en/new/", "en/follow-up/", "key/"]:
            page = onion.get(f"/r/{slug}/{path}")
            assert page.status_code == 200, path
            # No script at all: the pages work in Tor Browser at its "safest" level.
            assert b"<script" not in page.content.lower(), path
        # The stylesheet is served on the onion host too (WhiteNoise answers before routing).
        assert onion.get("/static/beyondreach/site.css").status_code == 200


# -- nginx -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def self_signed_certificate(tmp_path: Path) -> tuple[Path, Path]:
    cert, key = tmp_path / "fullchain.pem", tmp_path / "privkey.pem"
    subprocess.run(
        [
            program("openssl", "openssl"),
            "req",
            "-x509",
            "-newkey",
            "ed25519",
            "-nodes",
            "-keyout",
            str(key),
            "-out",
            str(cert),
            "-days",
            "1",
            "-subj",
            f"/CN={HTTPS_NAME}",
        ],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return cert, key


def nginx_config(tmp_path: Path, app_port: int = 8000) -> tuple[Path, dict[str, int]]:
    """A main nginx.conf around deploy/nginx/beyondreach.conf, writing only inside tmp_path.

    The certificate becomes a fresh self-signed one and ONIONADDRESS a real-looking onion
    name. The listeners move to free ports on 127.0.0.1 (even `nginx -t` binds them, and
    ports 80 and 443 need root and may be taken) and the application to `app_port`.
    """
    ports = {"http": free_port(), "https": free_port(), "onion": free_port()}
    cert, key = self_signed_certificate(tmp_path)
    site = NGINX_CONF.read_text()
    site = replace(site, "/etc/ssl/beyondreach/fullchain.pem", str(cert))
    site = replace(site, "/etc/ssl/beyondreach/privkey.pem", str(key))
    site = replace(site, "ONIONADDRESS.onion", ONION, count=4)  # 3 and a comment
    site = replace(site, "    listen 80;\n", f"    listen 127.0.0.1:{ports['http']};\n")
    site = replace(site, "    listen 443 ssl;\n", f"    listen 127.0.0.1:{ports['https']} ssl;\n")
    site = replace(site, "    listen [::]:80;\n", "")
    site = replace(site, "    listen [::]:443 ssl;\n", "")
    site = replace(site, "listen 127.0.0.1:8080;", f"listen 127.0.0.1:{ports['onion']};")
    site = replace(site, "http://127.0.0.1:8000;", f"http://127.0.0.1:{app_port};", count=3)
    (tmp_path / "beyondreach.conf").write_text(site)
    temp_paths = "\n".join(
        f"    {kind}_temp_path {tmp_path / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = tmp_path / "nginx.conf"
    main.write_text(
        f"pid {tmp_path / 'nginx.pid'};\n"
        f"error_log {tmp_path / 'error.log'};\n"
        "daemon off;\n"
        "events { worker_connections 64; }\n"
        "http {\n"
        "    include /etc/nginx/mime.types;\n"
        f"{temp_paths}\n"
        f"    include {tmp_path / 'beyondreach.conf'};\n"
        "}\n"
    )
    return main, ports


def nginx_command(tmp_path: Path, main: Path, *args: str) -> list[str]:
    nginx = program("nginx", "nginx")
    return [nginx, "-p", str(tmp_path), "-e", str(tmp_path / "error.log"), "-c", str(main), *args]


def test_nginx_accepts_the_configuration(tmp_path: Path) -> None:
    main, _ports = nginx_config(tmp_path)
    result = subprocess.run(
        nginx_command(tmp_path, main, "-t"), capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "test is successful" in result.stderr


def wait_for_port(port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        assert process.poll() is None, f"nginx stopped: {log.read_text() if log.exists() else ''}"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)
    pytest.fail(f"nginx did not listen on {port}")


class Answer:
    def __init__(self, response: http.client.HTTPResponse) -> None:
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()


def fetch(
    port: int,
    path: str,
    host: str,
    *,
    tls: bool = False,
    method: str = "GET",
    body: str | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    if tls:
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE  # the test's own self-signed certificate
        conn: http.client.HTTPConnection = http.client.HTTPSConnection(
            "127.0.0.1", port, timeout=15, context=context
        )
    else:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
    try:
        conn.request(method, path, body=body, headers={"Host": host, **(headers or {})})
        return Answer(conn.getresponse())
    finally:
        conn.close()


@pytest.fixture
def seen_by_django() -> Iterator[list[dict[str, Any]]]:
    """The WSGI environ of every request the application receives."""
    environs: list[dict[str, Any]] = []

    def record(sender: object, environ: dict[str, Any], **kwargs: object) -> None:
        environs.append(dict(environ))

    request_started.connect(record, weak=False, dispatch_uid="test_tor_environ")
    yield environs
    request_started.disconnect(dispatch_uid="test_tor_environ")


def test_through_nginx_the_onion_shows_only_reporting_pages_and_no_address(
    tmp_path: Path,
    live_server: Any,
    open_channel: OpenChannel,
    settings: Any,
    seen_by_django: list[dict[str, Any]],
) -> None:
    """nginx run with the deploy file in front of the application, as tor and browsers reach
    it; the application set up as docs/tor.md says (behind a proxy, secure cookies)."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HTTPS_NAME, ONION]
    settings.REPORTS_PUBLIC_HOSTS = [ONION]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    slug = open_channel.channel.slug
    main, ports = nginx_config(tmp_path, app_port=int(str(live_server.url).rsplit(":", 1)[1]))
    log = tmp_path / "nginx.out"
    with log.open("wb") as out:
        process = subprocess.Popen(
            nginx_command(tmp_path, main), stdout=out, stderr=subprocess.STDOUT
        )
    try:
        for port in (ports["http"], ports["https"], ports["onion"]):
            wait_for_port(port, process, log)
        onion, https = ports["onion"], ports["https"]

        # The onion: staff pages and the API are refused by nginx itself, whatever the Host,
        # even were the onion name missing from BEYONDREACH_REPORTS_PUBLIC_HOSTS.
        settings.REPORTS_PUBLIC_HOSTS = []
        for path in [*STAFF_AND_API, "/", "/admin/"]:
            for host in (ONION, HTTPS_NAME, "127.0.0.1"):
                assert fetch(onion, path, host).status == 404, (path, host)
        settings.REPORTS_PUBLIC_HOSTS = [ONION]
        seen_by_django.clear()
        # A forged Host and a forged address: the application sees neither.
        forged = {
            "X-Forwarded-For": "203.0.113.7",
            "X-Real-IP": "203.0.113.7",
            "Forwarded": "for=203.0.113.7",
        }
        page = fetch(onion, f"/r/{slug}/en/", HTTPS_NAME, headers=forged)
        assert page.status == 200
        assert "Onion-Location" not in page.headers
        (environ,) = seen_by_django
        assert environ["HTTP_HOST"] == ONION
        assert environ["HTTP_X_FORWARDED_PROTO"] == "http"
        assert environ["REMOTE_ADDR"] == "127.0.0.1"
        assert not {"HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED"} & set(environ)
        assert fetch(onion, "/static/beyondreach/site.css", ONION).status == 200
        assert fetch(onion, "/r/nonexistent/en/", ONION).status == 404

        # A form posted over the onion passes the CSRF check: plain http, no https redirect.
        form = fetch(onion, f"/r/{slug}/en/follow-up/", ONION)
        assert form.status == 200
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
        cookie = form.headers["Set-Cookie"]
        assert token and "Secure" in cookie
        posted = fetch(
            onion,
            f"/r/{slug}/en/follow-up/",
            ONION,
            method="POST",
            body=f"csrfmiddlewaretoken={token.group(1).decode()}&codename=not+a+real+codename",
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie.split(";", 1)[0],
                "Origin": f"http://{ONION}",
            },
        )
        assert posted.status == 400  # "we could not open a report": not 403, not a redirect
        # nginx logs a refused request with the client's address: it must go nowhere.
        huge = {"Content-Length": str(100 * 1024 * 1024), **forged}
        assert fetch(onion, f"/r/{slug}/en/new/", ONION, method="POST", headers=huge).status == 413

        # The HTTPS site: every page, known to be https, and Onion-Location on /r/ only.
        login = fetch(https, "/login/", HTTPS_NAME, tls=True, headers=forged)
        assert login.status == 200
        assert "Onion-Location" not in login.headers
        environ = seen_by_django[-1]
        assert environ["HTTP_HOST"] == HTTPS_NAME
        assert environ["HTTP_X_FORWARDED_PROTO"] == "https"
        assert not {"HTTP_X_FORWARDED_FOR", "HTTP_X_REAL_IP", "HTTP_FORWARDED"} & set(environ)
        public = fetch(https, f"/r/{slug}/en/", HTTPS_NAME, tls=True)
        assert public.status == 200
        assert public.headers["Onion-Location"] == f"http://{ONION}/r/{slug}/en/"
        # Plain http on the HTTPS name only redirects.
        redirect = fetch(ports["http"], f"/r/{slug}/en/", HTTPS_NAME)
        assert redirect.status == 301
        assert redirect.headers["Location"] == f"https://{HTTPS_NAME}/r/{slug}/en/"
        too_large = fetch(https, "/login/", HTTPS_NAME, tls=True, method="POST", headers=huge)
        assert too_large.status == 413
    finally:
        process.terminate()
        process.wait(timeout=15)
    # No request was logged: nginx's own log holds start and stop only.
    logged = (tmp_path / "error.log").read_text() if (tmp_path / "error.log").exists() else ""
    assert "client" not in logged
    assert "127.0.0.1" not in logged
    assert "/r/" not in logged
