"""`python -m bench [name ...]`: run the benchmarks in a throwaway test database and print the figures.

Every module of this package with a `run() -> bool` function is a benchmark (`run` prints its
figures and returns whether its budgets hold); name some to run only those. The database is the
test database of DATABASE_URL (test_<name> on PostgreSQL, in memory on SQLite), created and dropped here.
"""

from __future__ import annotations

import importlib
import logging
import os
import pkgutil
import sys


def main(names: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("SECRET_KEY", "bench-throwaway-key-not-a-secret")  # DEBUG=0 wants one
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import setup_test_environment

    logging.disable(logging.INFO)  # request logs would drown the figures
    package = sys.modules[__package__ or "bench"]
    available = [m.name for m in pkgutil.iter_modules(package.__path__) if not m.name.startswith("_")]
    chosen = names or available
    unknown = sorted(set(chosen) - set(available))
    if unknown:
        print(f"Unknown benchmark(s): {', '.join(unknown)}. Available: {', '.join(available)}.")
        return 2
    setup_test_environment()
    settings.DEBUG = False
    engine = connection.vendor
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    ok = True
    try:
        for name in chosen:
            module = importlib.import_module(f"{__package__ or 'bench'}.{name}")
            if hasattr(module, "run"):
                print(f"\n== {name} ({engine}) ==")
                ok = module.run() and ok
    finally:
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    print("\nAll budgets hold." if ok else "\nSome budgets are NOT met.")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
