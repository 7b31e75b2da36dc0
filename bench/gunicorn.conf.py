"""gunicorn's settings for the load benchmark (``bench/load.py``): sync workers, no access log.

The registry's own gunicorn.conf.py (threaded workers, recycled every 2,000 requests) is for
production; here both the Fortunes page and the registry run on these same settings.
"""
worker_class = "sync"
workers = 2
timeout = 120
accesslog = None
loglevel = "warning"
