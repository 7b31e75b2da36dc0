"""gunicorn's settings for the registry: ``gunicorn -c gunicorn.conf.py config.wsgi:application``.

Each value can be changed by an environment variable (or a command-line flag, which wins).
"""
import os


def cpu_count() -> int:
    """CPUs this process may use (a container's cpuset), not every CPU of the host."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Threaded workers: a slow download ties up one thread, not a whole worker.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", 0)) or cpu_count() * 2 + 1
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# A worker silent this long is restarted; a long CSV download streams, so it keeps talking.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
# On restart or deploy, requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = 5
# Recycle workers now and then so that memory stays bounded.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = max_requests // 10

accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# Proxies whose X-Forwarded-Proto (and the like) gunicorn believes; the client address for
# lockouts and throttling is set apart, by DJANGO_TRUSTED_PROXY_COUNT.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
