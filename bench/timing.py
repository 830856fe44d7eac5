"""What every page benchmark measures: the queries of one request and the median time of many."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries(request: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        request()
    return len(captured)


def median_ms(request: Callable[[], object], runs: int) -> float:
    for _ in range(3):  # warm caches and connections first
        request()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        request()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)
