"""Benchmarks of cognito-user-pool side by side with pycognito; run ``python bench/run.py``."""
