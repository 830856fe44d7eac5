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


def median_ms(
    request: Callable[[], object], runs: int, clock: Callable[[], float] = time.perf_counter
) -> float:
    """The median time of `runs` requests; with clock=time.process_time, the CPU time this process
    spent (the server's own work, without the database's), which other programs on a busy machine
    disturb far less than the wall-clock time."""
    for _ in range(3):  # warm caches and connections first
        request()
    times = []
    for _ in range(runs):
        start = clock()
        request()
        times.append((clock() - start) * 1000)
    return statistics.median(times)
