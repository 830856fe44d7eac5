"""Migration 0003 turns the old single job-posting figure into what the seeds said."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("catalog", "0002_choice_groups_backgrounds_aliases")]
AFTER = [("catalog", "0003_shares_checked_on_careers")]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_old_shares_become_bounds_ranges_and_estimates() -> None:
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    try:
        old = _migrate(BEFORE)
        skill = old.get_model("catalog", "Skill")
        for slug, share in (("cuda", "4.00"), ("pytorch", "37.50"), ("python", "85.00"), ("git", None)):
            skill.objects.create(
                name=slug, slug=slug, category="programming", tier="foundation", market_share=share
            )

        new = _migrate(AFTER)

        rows = new.get_model("catalog", "Skill").objects.values_list("slug", "share_low", "share_high")
        shares = {slug: (low and str(low), high and str(high)) for slug, low, high in rows}
        assert shares == {
            "cuda": (None, "5.00"),
            "pytorch": ("35.00", "40.00"),
            "python": ("85.00", "85.00"),
            "git": (None, None),
        }
    finally:
        _migrate(leaves)
        from catalog.models import Skill

        Skill.objects.all().delete()
