"""The production stack, end to end: what an operator builds from the README, on loopback.

One stack for the module (tests/support/stack.py): a PostgreSQL role that is no
superuser, owning a fresh database in which the superuser created PostGIS;
Redis with a password; the example environment file, with no development
switch; migrate, the first administrator and an import run as that role;
gunicorn, one worker and beat started with their systemd units' commands;
Debian's nginx with the example site and a throwaway certificate. Through
nginx: pages, the API, static files, headers, the health checks and the upload
limit; the first sweep checks a source soon after the first start; a backup
made by the README's cron line under Debian's own Python, restored into a
fresh database as the app's role and read by the site.
"""

import contextlib
import gzip
import json
import os
import re
import secrets
import socket
import ssl
import stat
import subprocess
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from tests.support import wait_for
from tests.support.servers import ROOT, free_port
from tests.support.stack import (
    SERVER_NAME,
    Client,
    PasswordRedis,
    Process,
    clean_environment,
    read_env_file,
    render_nginx,
    replaced,
    throwaway_certificate,
    unit_command,
    wait_listening,
    write_env_file,
)

# The stack runs a real Celery worker and beat from their systemd units.
pytestmark = pytest.mark.celery_worker

PYTHON = ROOT / ".venv" / "bin" / "python"
DEBIAN_PYTHON = "/usr/bin/python3"
ADMIN = ("ops-lead", "ops@example.org")


def superuser(dbname="postgres"):
    db = connection.settings_dict
    return psycopg.connect(
        dbname=dbname, host=db["HOST"], user=db.get("USER") or "postgres", autocommit=True
    )


@contextlib.contextmanager
def app_role():
    """A login role that is no superuser, as the README's PostgreSQL step makes it."""
    name = f"panoptic_stack_{secrets.token_hex(4)}"
    password = secrets.token_hex(12)
    with superuser() as conn:
        conn.execute(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'")
    try:
        yield name, password
    finally:
        with superuser() as conn:
            conn.execute(
                f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = '{name}'"
            )
            for (database,) in conn.execute(
                f"SELECT datname FROM pg_database WHERE datname LIKE '{name}%'"
            ).fetchall():
                conn.execute(f"DROP DATABASE {database} WITH (FORCE)")
            conn.execute(f"DROP ROLE {name}")


def app_database(role, password, name):
    """A database owned by the role, with PostGIS created by the superuser; its URL."""
    with superuser() as conn:
        conn.execute(f"CREATE DATABASE {name} OWNER {role} TEMPLATE template0")
    with superuser(name) as conn:
        conn.execute("CREATE EXTENSION postgis")
    return f"postgis://{role}:{password}@/{name}?host={connection.settings_dict['HOST']}"


def manage(*args, env):
    result = subprocess.run(
        [str(PYTHON), "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


@dataclass
class Stack:
    folder: Path
    env_file: Path
    env: dict
    client: Client
    role: tuple
    ports: dict
    processes: dict
    admin_output: str


@pytest.fixture(scope="module")
def stack(tmp_path_factory, static_root):
    folder = tmp_path_factory.mktemp("stack")
    ports = {name: free_port() for name in ("web", "http", "https")}
    with contextlib.ExitStack() as cleanup:
        role, password = cleanup.enter_context(app_role())
        database_url = app_database(role, password, role)
        redis = PasswordRedis().start()
        cleanup.callback(redis.cleanup)
        secret_key = folder / "secret_key"
        secret_key.write_text(secrets.token_urlsafe(50))
        for name in ("media", "archive"):
            (folder / name).mkdir()
        env_file = folder / "panoptic.env"
        values = write_env_file(
            env_file,
            SECRET_KEY_FILE=secret_key,
            DATABASE_URL=database_url,
            CELERY_BROKER_URL=redis.url(0),
            CACHE_URL=redis.url(1),
            EMAIL_URL="consolemail://",
            STATIC_ROOT=static_root,
            MEDIA_ROOT=folder / "media",
            ARCHIVE_ROOT=folder / "archive",
            GUNICORN_BIND=f"127.0.0.1:{ports['web']}",
            GUNICORN_WORKERS=2,
            # The one source below is this stack's own health check, through nginx.
            FETCH_ALLOW_HOSTS="127.0.0.1",
            FETCH_ALLOWED_PORTS=ports["http"],
        )
        assert "PANOPTIC_DEV" not in values or values["PANOPTIC_DEV"] == "0"
        env = clean_environment(values)

        manage("migrate", "--no-input", "-v", "0", env=env)
        admin_output = manage("ensure_admin", "--no-input", "--username", ADMIN[0],
                              "--email", ADMIN[1], env=env)  # fmt: skip
        sample = folder / "deployments.csv"
        header = (ROOT / "fixtures" / "deployments-sample.csv").read_text().splitlines()[0]
        sample.write_text(
            f"{header}\nSafe City face recognition,Stack Police,facial_recognition,"
            "surveillance,in_use,Uttar Pradesh,Lucknow,26.85,80.95,2021,Staqu,,"
            f"Cameras at 200 hotspots.,The stack's own page,"
            f"http://127.0.0.1:{ports['http']}/healthz\n"
        )
        manage("import_deployments", str(sample), env=env)
        (folder / "media" / "rti").mkdir()
        (folder / "media" / "rti" / "reply.pdf").write_bytes(b"%PDF-1.4 a reply")

        processes = {}

        def start(name, argv, environment=env):
            processes[name] = process = Process(name, argv, environment, folder)
            cleanup.callback(process.stop)
            return process

        web_argv, _ = unit_command("panoptic-web.service")
        wait_listening(ports["web"], start("web", web_argv))
        cert, key = throwaway_certificate(folder)
        nginx_conf = render_nginx(
            folder,
            http_port=ports["http"],
            https_port=ports["https"],
            upstream=f"127.0.0.1:{ports['web']}",
            cert=cert,
            key=key,
        )
        nginx = ["nginx", "-c", str(nginx_conf), "-e", str(folder / "startup.log")]
        checked = subprocess.run([*nginx, "-t"], capture_output=True, text=True)
        assert checked.returncode == 0, checked.stderr
        assert "syntax is ok" in checked.stderr and "test is successful" in checked.stderr
        wait_listening(ports["https"], start("nginx", [*nginx, "-g", "daemon off;"]))
        # One worker for both queues (an instance name systemd would not take, but the
        # same script), with the concurrency a per-instance file would set.
        worker_argv, worker_env = unit_command("panoptic-worker@.service", "default,checks")
        start("worker", worker_argv, {**worker_env, **env, "CELERY_CONCURRENCY": "1"})
        start("beat", unit_command("panoptic-beat.service")[0])

        yield Stack(
            folder=folder,
            env_file=env_file,
            env=env,
            client=Client(ports["https"], ports["http"], cert),
            role=(role, password),
            ports=ports,
            processes=processes,
            admin_output=admin_output,
        )


def json_body(headers, body):
    if headers.get("Content-Encoding") == "gzip":
        body = gzip.decompress(body)
    return json.loads(body)


def test_pages_api_and_static_files_through_nginx(stack):
    client = stack.client
    status, headers, body = client.get("/", headers={"Accept-Encoding": "gzip"})
    assert status == 200
    assert headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in headers["Vary"]
    html = gzip.decompress(body).decode()
    assert '<html lang="en"' in html and "Panoptic Tracker" in html
    assert headers["Server"] == "nginx"  # no version
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert "Set-Cookie" not in headers

    status, headers, body = client.get("/api/v1/deployments/", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    (deployment,) = json_body(headers, body)["results"]
    assert deployment["title"] == "Safe City face recognition"
    status, _, body = client.get(f"/hi/deployments/{deployment['id']}-{deployment['slug']}/")
    assert status == 200
    assert '<html lang="hi"' in body.decode() and "Safe City face recognition" in body.decode()

    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', html)
    assert assets
    for asset in assets:
        status, headers, _ = client.get(asset)
        assert status == 200, asset
        assert "immutable" in headers["Cache-Control"]

    status, headers, _ = client.get("/about/", plain=True)
    assert status == 301 and headers["Location"] == f"https://{SERVER_NAME}/about/"
    status, _, body = client.get("/hi/no-such-page/")
    assert status == 404 and "<h1>पेज नहीं मिला</h1>" in body.decode()


def test_health_checks_answer_only_this_machine(stack):
    client = stack.client
    status, headers, body = client.get("/healthz")
    assert status == 200
    assert json_body(headers, body) == {"database": True, "cache": True, "status": "ok"}
    for path in ("/healthz", "/healthz/full"):
        assert client.get(path, source="127.0.0.2")[0] == 403
        assert client.get(path, plain=True, source="127.0.0.2")[0] == 403

    def full_report_ok():
        status, _, body = client.get("/healthz/full", plain=True)
        return status == 200 and json.loads(body)

    wait_for(full_report_ok, timeout=90, interval=0.5)
    assert set(full_report_ok()["seconds_since_heartbeat"]) == {
        "beat",
        "worker:default",
        "worker:checks",
    }
    # A monitor on the machine may also ask gunicorn itself (ALLOWED_HOSTS has 127.0.0.1).
    web = http_get(stack.ports["web"], "/healthz/full")
    assert web == 200


def http_get(port, path):
    import http.client

    connection_ = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection_.request("GET", path)
        return connection_.getresponse().status
    finally:
        connection_.close()


def test_the_first_sweep_checks_sources_soon_after_the_first_start(stack):
    def checked_source():
        status, headers, body = stack.client.get("/api/v1/sources/")
        (source,) = json_body(headers, body)["results"]
        return source if source["last_checked_at"] else None

    wait_for(checked_source, timeout=90, interval=0.5)
    source = checked_source()
    assert source["health"] == "ok" and source["http_status"] == 200


def test_uploads_up_to_the_limit_reach_the_site_and_bigger_ones_stop_at_nginx(stack):
    body = b"x" * (3 * 1024 * 1024)  # over nginx's default 1 MB, under the example's limit
    status, _, answer = stack.client.request(
        "POST",
        "/api/v1/submissions/",
        body=body,
        headers={"Content-Type": "application/octet-stream"},
    )
    assert status in (401, 403), answer[:300]  # the site's own answer: no token

    context = ssl.create_default_context(cafile=str(stack.folder / "cert.pem"))
    with socket.create_connection(("127.0.0.1", stack.ports["https"]), timeout=30) as raw:
        with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
            tls.sendall(
                b"POST /api/v1/submissions/ HTTP/1.1\r\nHost: " + SERVER_NAME.encode()
                + b"\r\nContent-Type: multipart/form-data; boundary=x\r\n"
                + b"Content-Length: %d\r\n\r\n" % (52 * 1024 * 1024)
            )  # fmt: skip
            assert tls.recv(100).startswith(b"HTTP/1.1 413 ")


def test_the_administrator_signs_in_with_secure_cookies(stack):
    password = re.search(r"Password: (\S+)", stack.admin_output).group(1)
    assert f"Username: {ADMIN[0]}  E-mail: {ADMIN[1]}" in stack.admin_output
    client = Client(stack.client.https_port, stack.client.http_port, stack.folder / "cert.pem")
    status, _, body = client.get("/admin/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body.decode()).group(1)
    status, headers, _ = client.request(
        "POST",
        "/admin/login/?next=/admin/",
        body=f"csrfmiddlewaretoken={token}&username={ADMIN[0]}&password={password}".encode(),
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"https://{SERVER_NAME}/admin/login/",
        },
    )
    assert status == 302 and headers["Location"] == "/admin/"
    session = client.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    status, _, body = client.get("/admin/")
    assert status == 200 and "Site administration" in body.decode()


def test_logs_are_json_in_utc_and_name_no_client(stack):
    stack.client.get("/deployments/?q=a+private+search")
    log = stack.folder / "panoptic.log"  # other tests of the module may have written first
    wait_for(lambda: log.exists() and "/deployments/" in log.read_text(), timeout=10)
    gunicorn_lines = [line for line in stack.processes["web"].output().splitlines() if line]
    entries = [json.loads(line) for line in gunicorn_lines]
    assert any(e["logger"] == "gunicorn.error" for e in entries)
    assert all(e["time"].endswith("+00:00") for e in entries)

    access = (stack.folder / "panoptic.log").read_text()
    assert "/deployments/" in access
    for private in ("127.0.0.1", "private", "Python-urllib", "?"):
        assert private not in access
    # Debian's own access log (nginx.conf) never gets a line from this site.
    debian_log = stack.folder / "access.log"
    assert not debian_log.exists() or debian_log.stat().st_size == 0


def cron_command(**replacements):
    """The README's backup cron line, for this machine."""
    readme = (ROOT / "README.md").read_text()
    cron_line = r"^\s*\d+ \d+ \* \* \* panoptic (cd /srv/panoptic/app && .+)$"
    (command,) = re.findall(cron_line, readme, re.M)
    for old, new in replacements.items():
        command = replaced(command, old, new)
    return command


def debian_python_venv(folder):
    """A virtualenv of Debian's /usr/bin/python3 (3.11.2 on Debian 12: no tarfile filters)
    holding the packages of .venv, which is built for the same Python 3.11."""
    venv = folder / "debian-venv"
    subprocess.run([DEBIAN_PYTHON, "-m", "venv", "--without-pip", str(venv)], check=True)
    version = subprocess.run(
        [str(venv / "bin" / "python"), "-c", "import sys; print(sys.executable, sys.version)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert version.startswith(f"{venv}/bin/python 3.11.")
    site = next((ROOT / ".venv" / "lib").glob("python3.11/site-packages"))
    (venv / "lib" / "python3.11" / "site-packages" / "panoptic.pth").write_text(f"{site}\n")
    return venv


def test_backup_by_cron_and_restore_as_the_app_role_with_debian_python(stack, tmp_path):
    venv = debian_python_venv(tmp_path)
    backups = tmp_path / "backups"
    command = cron_command(
        **{
            "/srv/panoptic/app": str(ROOT),
            "/etc/panoptic/panoptic.env": str(stack.env_file),
            "/srv/panoptic/backups": str(backups),
        }
    )
    made = subprocess.run(
        ["sh", "-c", f"{command} VENV={venv}"],
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    (backup,) = backups.glob("panoptic-*Z.tar")
    assert made.stdout.strip() == str(backup)
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600

    role, password = stack.role
    restored_url = app_database(role, password, f"{role}_restored")
    values = {
        **read_env_file(stack.env_file),
        "DATABASE_URL": restored_url,
        "MEDIA_ROOT": str(tmp_path / "media"),
        "ARCHIVE_ROOT": str(tmp_path / "archive"),
        "GUNICORN_BIND": f"127.0.0.1:{free_port()}",
    }
    restored = subprocess.run(
        ["make", "-s", "restore", f"FILE={backup}", f"VENV={venv}"],
        cwd=ROOT,
        env=clean_environment(values),
        capture_output=True,
        text=True,
    )
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert (tmp_path / "media" / "rti" / "reply.pdf").read_bytes() == b"%PDF-1.4 a reply"

    # The site, connecting as the app's role, reads everything restored.
    port = int(values["GUNICORN_BIND"].rsplit(":", 1)[1])
    web = Process("restored-web", unit_command("panoptic-web.service")[0],
                  clean_environment(values), tmp_path)  # fmt: skip
    try:
        wait_listening(port, web)
        site = Client(port, port, stack.folder / "cert.pem")
        status, _, body = site.get(
            "/api/v1/deployments/", plain=True, headers={"X-Forwarded-Proto": "https"}
        )
        assert status == 200, body[:500]
        (deployment,) = json.loads(body)["results"]
        status, _, body = site.get(
            f"/deployments/{deployment['id']}-{deployment['slug']}/",
            plain=True,
            headers={"X-Forwarded-Proto": "https"},
        )
        assert status == 200 and "Safe City face recognition" in body.decode()
    finally:
        web.stop()
