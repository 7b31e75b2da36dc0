"""Production mode and serving: required variables, `check --deploy`, a throttle shared across server
processes through Redis, gunicorn's settings, the Dockerfile, its entrypoint and compose.yaml."""
import json
import os
import runpy
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import redis
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
REDIS_TEST_DB = 15  # a database of the local Redis that nothing else uses; keys carry a per-test prefix

PRINT_SETTINGS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({name: getattr(settings, name, None) for name in ["
    "'DEBUG', 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_HSTS_PRELOAD', "
    "'SECURE_SSL_REDIRECT', 'SECURE_PROXY_SSL_HEADER', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', "
    "'SILENCED_SYSTEM_CHECKS']} | {'CONN_MAX_AGE': db['CONN_MAX_AGE'], "
    "'CONN_HEALTH_CHECKS': db['CONN_HEALTH_CHECKS'], 'CACHE': settings.CACHES['default']['BACKEND']}))"
)


def production_environment(**overrides) -> dict:
    """A complete production configuration; a value of None removes that variable."""
    environment = {
        **{name: value for name, value in os.environ.items() if not name.startswith(("DJANGO_", "GUNICORN_"))},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_ENV": "production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "registry.example.org",
        "DATABASE_URL": "postgres://registry@db.invalid:5432/registry",
        "DJANGO_CACHE_URL": f"redis://127.0.0.1:6379/{REDIS_TEST_DB}",
    }
    for name, value in overrides.items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    return environment


def run(arguments, environment, timeout=120):
    return subprocess.run(arguments, cwd=ROOT, env=environment, capture_output=True, text=True, timeout=timeout)


def production_settings(**overrides) -> dict:
    result = run([sys.executable, "-c", PRINT_SETTINGS], production_environment(**overrides))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


# Production settings


def test_check_deploy_reports_nothing_in_production_mode():
    result = run([sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_environment())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.parametrize("missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "DJANGO_CACHE_URL"])
def test_production_refuses_to_start_without_a_required_variable(missing):
    """Even with the checkout's .env beside it: production reads the real environment only."""
    result = run([sys.executable, "manage.py", "check"], production_environment(**{missing: None}))
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"DJANGO_ENV=production needs {missing} set in the environment" in result.stderr


def test_production_names_every_missing_variable_at_once():
    result = run(
        [sys.executable, "manage.py", "check"],
        production_environment(DJANGO_SECRET_KEY=None, DATABASE_URL=None, DJANGO_ALLOWED_HOSTS=None, DJANGO_CACHE_URL=None),
    )
    assert "needs DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL, DJANGO_CACHE_URL set" in result.stderr


def test_production_refuses_debug():
    result = run([sys.executable, "manage.py", "check"], production_environment(DJANGO_DEBUG="1"))
    assert result.returncode != 0
    assert "DJANGO_DEBUG must be off when DJANGO_ENV=production" in result.stderr


def test_an_unknown_environment_name_is_refused():
    result = run([sys.executable, "manage.py", "check"], production_environment(DJANGO_ENV="prod"))
    assert result.returncode != 0
    assert "DJANGO_ENV must be 'development' or 'production', not 'prod'" in result.stderr


def test_production_turns_on_https_only_settings_and_reused_connections():
    values = production_settings()
    assert values == {
        "DEBUG": False,
        "SECURE_HSTS_SECONDS": 31_536_000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": None,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SILENCED_SYSTEM_CHECKS": ["security.W021"],
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        "CACHE": "django.core.cache.backends.redis.RedisCache",
    }


def test_behind_a_tls_proxy_the_redirect_can_go_and_the_proxy_header_is_trusted():
    values = production_settings(
        DJANGO_SECURE_SSL_REDIRECT="false", DJANGO_SECURE_PROXY_SSL_HEADER="true",
        DJANGO_HSTS_SECONDS="600", DJANGO_HSTS_PRELOAD="true", DJANGO_CONN_MAX_AGE="0",
    )
    assert values["SECURE_SSL_REDIRECT"] is False
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_HSTS_SECONDS"] == 600
    assert values["SECURE_HSTS_PRELOAD"] is True
    assert values["SILENCED_SYSTEM_CHECKS"] == ["security.W008"]
    assert values["CONN_MAX_AGE"] == 0


def test_development_keeps_plain_http():
    assert not settings.PRODUCTION
    assert not settings.SECURE_SSL_REDIRECT
    assert settings.SECURE_HSTS_SECONDS == 0
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


# The API throttle is shared by every server process


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get_status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_until_healthy(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.poll() is None, log.read_text()
        try:
            if get_status(url) == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} never answered 200:\n{log.read_text()}")


@pytest.fixture
def two_servers(tmp_path):
    """Two gunicorn processes (gunicorn.conf.py, one worker each) sharing one Redis, 10 API requests a minute."""
    prefix = f"test-throttle-{uuid.uuid4().hex}"
    environment = production_environment(
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        DJANGO_CACHE_KEY_PREFIX=prefix,
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_API_ANON_RATE="10/minute",
        DJANGO_LOG_LEVEL="WARNING",
    )
    servers, ports = [], [free_port(), free_port()]
    try:
        for port in ports:
            log = tmp_path / f"gunicorn-{port}.log"
            command = [
                sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--workers", "1",
                "--bind", f"127.0.0.1:{port}", "config.wsgi:application",
            ]
            with log.open("w") as output:
                servers.append((subprocess.Popen(command, cwd=ROOT, env=environment, stdout=output, stderr=output), log))
        for (server, log), port in zip(servers, ports):
            wait_until_healthy(f"http://127.0.0.1:{port}/healthz", server, log)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for server, _ in servers:
            server.terminate()
        for server, _ in servers:
            server.wait(timeout=30)
        store = redis.Redis(db=REDIS_TEST_DB)
        for key in store.scan_iter(match=f"{prefix}*"):
            store.delete(key)


def test_the_api_throttle_holds_across_server_processes(two_servers):
    first, second = two_servers
    statuses = [get_status(f"{server}/api/") for _ in range(6) for server in (first, second)]
    # 12 requests alternating between the processes: the shared limit lets exactly 10 through.
    assert statuses == [200] * 10 + [429] * 2


# gunicorn, the Dockerfile, its entrypoint and compose.yaml


def gunicorn_settings(monkeypatch, **variables) -> dict:
    for name in [name for name in os.environ if name.startswith("GUNICORN_")]:
        monkeypatch.delenv(name)
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(ROOT / "gunicorn.conf.py"))


def test_gunicorn_sizes_its_workers_from_the_cpus(monkeypatch):
    config = gunicorn_settings(monkeypatch)
    assert config["workers"] == len(os.sched_getaffinity(0)) * 2 + 1
    assert config["worker_class"] == "gthread"
    assert config["timeout"] == 60 and config["graceful_timeout"] == 30
    assert config["accesslog"] == "-"
    assert config["forwarded_allow_ips"] == "127.0.0.1,::1"


def test_gunicorn_settings_come_from_the_environment(monkeypatch):
    config = gunicorn_settings(monkeypatch, GUNICORN_WORKERS="2", GUNICORN_FORWARDED_ALLOW_IPS="10.0.0.2")
    assert config["workers"] == 2
    assert config["forwarded_allow_ips"] == "10.0.0.2"


def dockerfile_instructions() -> list[str]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]


def test_the_image_runs_as_a_non_root_user_with_a_health_check():
    lines = dockerfile_instructions()
    users = [line.split()[1] for line in lines if line.startswith("USER ")]
    assert users and users[-1] not in {"root", "0"}
    assert any("collectstatic --noinput" in line for line in lines if line.startswith("RUN "))
    assert "DJANGO_ENV=production" in " ".join(line for line in lines if line.startswith("ENV "))
    [healthcheck] = [line for line in lines if line.startswith("HEALTHCHECK ")]
    command = json.loads(healthcheck[healthcheck.index("CMD") + 3:])
    assert command[:2] == ["python", "-c"] and "http://127.0.0.1:8000/healthz" in command[2]
    compile(command[2], "HEALTHCHECK", "exec")
    assert json.loads(next(line for line in lines if line.startswith("ENTRYPOINT "))[10:]) == ["./docker-entrypoint.sh"]
    assert json.loads(next(line for line in lines if line.startswith("CMD "))[3:]) == [
        "gunicorn", "-c", "gunicorn.conf.py", "config.wsgi:application",
    ]


@pytest.fixture
def fake_python(tmp_path):
    """A `python` on PATH that records what it was asked to run."""
    calls = tmp_path / "calls"
    binary = tmp_path / "bin"
    binary.mkdir()
    (binary / "python").write_text(f'#!/bin/sh\necho "$*" >> {calls}\n')
    (binary / "python").chmod(0o755)
    return binary, calls


def run_entrypoint(fake_python, **variables):
    binary, calls = fake_python
    environment = {"PATH": f"{binary}:/usr/bin:/bin", **variables}
    result = subprocess.run(
        ["sh", str(ROOT / "docker-entrypoint.sh"), "echo", "gunicorn started"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=30,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout, (calls.read_text().splitlines() if calls.exists() else [])


def test_the_entrypoint_migrates_then_starts_the_server(fake_python):
    output, calls = run_entrypoint(fake_python)
    assert calls == ["manage.py migrate --noinput"]
    assert output == "gunicorn started\n"


def test_the_entrypoint_can_leave_migrations_to_a_release_step_and_load_the_seeds(fake_python):
    output, calls = run_entrypoint(fake_python, DJANGO_MIGRATE_ON_START="0", DJANGO_LOAD_SEEDS_ON_START="1")
    assert calls == ["manage.py load_seeds --if-new"]
    assert output == "gunicorn started\n"


def test_compose_runs_the_app_with_postgresql_and_redis():
    services = yaml.safe_load((ROOT / "compose.yaml").read_text())["services"]
    assert services["db"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    assert all(services[name]["healthcheck"]["test"] for name in ("db", "redis"))
    app = services["app"]
    assert app["build"] == "."
    assert app["depends_on"] == {
        "db": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
    }
    environment = app["environment"]
    assert environment["DJANGO_ENV"] == "production"
    assert set(settings.PRODUCTION_REQUIRES) <= set(environment)
    assert "@db:5432/" in environment["DATABASE_URL"]
    assert environment["DJANGO_CACHE_URL"] == "redis://redis:6379/0"
