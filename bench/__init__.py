"""Benchmarks printed by `make bench`: budgets checked by measurement, not by timed tests."""
