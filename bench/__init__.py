"""Benchmarks (``make bench``, ``make bench-pages``, ``make bench-resilience``, ``make bench-load``).

A package so that the load benchmark's settings, URLconf and Fortunes page (``bench.settings``)
can be served by gunicorn beside the registry; the scripts still run as ``python bench/NAME.py``.
"""
