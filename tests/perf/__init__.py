"""Performance tests: the gmpy2 SRP path and the benchmark harness (no timing assertions)."""
