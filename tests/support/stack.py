"""The production stack built from the files in deploy/ and the README, on loopback only.

Every process gets the rendered environment file and nothing else (as systemd's
``EnvironmentFile=`` gives it), runs the command of its systemd unit, and
Debian's own nginx runs the example site with Debian's own nginx.conf around
it. Only what must differ on a test machine is replaced: addresses and ports,
paths, the certificate, passwords; each replacement must find its text, so a
changed example breaks the test loudly instead of testing something else.
"""

import http.client
import os
import re
import secrets
import shlex
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path

from tests.support.servers import IS_ROOT, ROOT, free_port, stop_process_group

DEPLOY = ROOT / "deploy"
APP_FOLDER = "/srv/panoptic/app"
SERVER_NAME = "tracker.example.org"


def replaced(text, old, new, count=1):
    """``text`` with ``old`` replaced by ``new``, which must occur exactly ``count`` times."""
    found = text.count(old)
    if found != count:
        raise AssertionError(f"expected {count} × {old!r} in the example, found {found}")
    return text.replace(old, new)


def read_env_file(path):
    """NAME=value lines, as systemd's EnvironmentFile= and ``set -a; . file`` read them."""
    values = {}
    for line in Path(path).read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, value = line.split("=", 1)
            values[name] = value
    return values


def write_env_file(path, **overrides):
    """deploy/panoptic.env.example with ``overrides`` (each must name a line there, or be
    added at the end); returns the values."""
    text = (DEPLOY / "panoptic.env.example").read_text()
    for name, value in overrides.items():
        line = f"{name}={value}"
        pattern = re.compile(rf"^{name}=.*$", re.M)
        if pattern.search(text):
            text = pattern.sub(lambda _, line=line: line, text)
        else:
            text += line + "\n"
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o640)
    with os.fdopen(descriptor, "w") as file:
        file.write(text)
    return read_env_file(path)


def clean_environment(values):
    """What a systemd unit's process sees: a plain PATH and the environment file."""
    return {"PATH": os.environ["PATH"], "HOME": "/nonexistent", "LANG": "C.UTF-8", **values}


def unit_command(unit, instance=""):
    """(argv, Environment=) of a deploy/systemd unit's ExecStart, for this checkout."""
    text = (DEPLOY / "systemd" / unit).read_text().replace("\\\n", " ")
    environment, command = {}, None
    for line in text.splitlines():
        if line.startswith("Environment="):
            environment.update(pair.split("=", 1) for pair in shlex.split(line[12:]))
        if line.startswith("ExecStart="):
            command = line[10:]
    command = command.replace("%i", instance).replace("%%", "%")
    return shlex.split(replaced(command, APP_FOLDER, str(ROOT))), environment


class Process:
    """A long-running process with its output in a file; stopped with its whole group."""

    def __init__(self, name, argv, env, folder):
        self.name = name
        self.log = Path(folder) / f"{name}.log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                argv,
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def output(self):
        return self.log.read_text(errors="replace")

    def alive(self):
        return self.proc.poll() is None

    def stop(self):
        stop_process_group(self.proc)


def wait_listening(port, process, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited:\n{process.output()[-5000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{process.name} did not listen on {port}:\n{process.output()[-5000:]}")


class PasswordRedis:
    """Redis on a loopback TCP port with a password, as the production examples have it."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="panoptic-redis-"))
        self.port = free_port()
        self.password = secrets.token_hex(16)

    def _cli(self, *args):
        return subprocess.run(
            ["redis-cli", "-p", str(self.port), "-a", self.password, "--no-auth-warning", *args],
            capture_output=True,
            text=True,
        )

    def start(self):
        subprocess.run(
            ["redis-server", "--bind", "127.0.0.1", "--port", str(self.port)]
            + ["--requirepass", self.password, "--daemonize", "yes", "--dir", str(self.dir)]
            + ["--logfile", str(self.dir / "redis.log"), "--save", "", "--appendonly", "no"],
            check=True,
        )
        deadline = time.monotonic() + 10
        while self._cli("ping").stdout.strip() != "PONG":
            if time.monotonic() > deadline:
                raise RuntimeError("Redis did not start")
            time.sleep(0.05)
        return self

    def url(self, db):
        return f"redis://:{self.password}@127.0.0.1:{self.port}/{db}"

    def cleanup(self):
        self._cli("shutdown", "nosave")
        shutil.rmtree(self.dir, ignore_errors=True)


def throwaway_certificate(folder):
    """A self-signed certificate for the server name and 127.0.0.1, and its key."""
    cert, key = Path(folder) / "cert.pem", Path(folder) / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        + ["-nodes", "-days", "2", "-subj", f"/CN={SERVER_NAME}", "-keyout", str(key)]
        + ["-out", str(cert), "-addext", f"subjectAltName=DNS:{SERVER_NAME},IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )
    return cert, key


def render_nginx(folder, *, http_port, https_port, upstream, cert, key):
    """Debian's /etc/nginx/nginx.conf holding deploy/nginx.conf.example, for loopback ports.

    Returns the main configuration file. Logs, the pid file and temporary files go
    to ``folder``; the access log Debian's nginx.conf names stays in force for
    anything the example does not log itself.
    """
    folder = Path(folder)
    site = (DEPLOY / "nginx.conf.example").read_text()
    site = re.sub(r"^\s*listen \[::\]:.*\n", "", site, flags=re.M)  # no IPv6 needed here
    site = replaced(site, "listen 80;", f"listen 127.0.0.1:{http_port};")
    site = replaced(site, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = replaced(site, "server 127.0.0.1:8000;", f"server {upstream};")
    letsencrypt = f"/etc/letsencrypt/live/{SERVER_NAME}"
    site = replaced(site, f"{letsencrypt}/fullchain.pem", str(cert))
    site = replaced(site, f"{letsencrypt}/privkey.pem", str(key))
    site = replaced(site, "/var/log/nginx/panoptic.access.log", str(folder / "panoptic.log"), 2)
    (folder / "site.conf").write_text(site)

    main = Path("/etc/nginx/nginx.conf").read_text()
    main = replaced(main, "pid /run/nginx.pid;", f"pid {folder / 'nginx.pid'};")
    main = replaced(main, "/var/log/nginx/error.log", str(folder / "error.log"))
    main = replaced(main, "/var/log/nginx/access.log", str(folder / "access.log"))
    main = replaced(main, "include /etc/nginx/sites-enabled/*;", f"include {folder / 'site.conf'};")
    # Workers write request bodies here; as root they run as root, not www-data, since
    # www-data cannot enter a private temporary folder.
    main = replaced(main, "user www-data;", "user root;" if IS_ROOT else "")
    temp = "".join(
        f"\t{kind}_temp_path {folder / kind};\n"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    main = replaced(main, "http {\n", "http {\n" + temp)
    (folder / "nginx.conf").write_text(main)
    return folder / "nginx.conf"


class Client:
    """HTTPS to the stack's nginx as a reader's browser would see it: the site's name in
    Host, the throwaway certificate trusted, cookies kept."""

    def __init__(self, https_port, http_port, cert):
        self.https_port, self.http_port = https_port, http_port
        self.context = ssl.create_default_context(cafile=str(cert))
        self.cookies = SimpleCookie()

    def request(self, method, path, *, headers=None, body=None, plain=False, source="127.0.0.1"):
        """(status, headers, body) of one request; redirects are returned, not followed."""
        if plain:
            connection = http.client.HTTPConnection(
                "127.0.0.1", self.http_port, timeout=30, source_address=(source, 0)
            )
        else:
            connection = http.client.HTTPSConnection(
                "127.0.0.1",
                self.https_port,
                timeout=30,
                context=self.context,
                source_address=(source, 0),
            )
        sent = {"Host": SERVER_NAME}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{name}={m.value}" for name, m in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers={**sent, **(headers or {})})
            response = connection.getresponse()
            for value in response.headers.get_all("Set-Cookie") or []:
                self.cookies.load(value)
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)
