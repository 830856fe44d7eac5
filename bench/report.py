"""How the benchmarks print: a table of figures, one column per case, and the verdict of each budget."""

from __future__ import annotations

from collections.abc import Mapping, Sequence


def table(
    columns: Mapping[str, Mapping[str, float]], rows: Sequence[tuple[str, str]], width: int = 46
) -> None:
    """One line per (label, key): the key's figure in each column, times (keys "ms" or "..._ms") to a
    tenth, counts whole."""
    print(f"{'':{width}}" + "".join(f"{name:>14}" for name in columns))
    for label, key in rows:
        shape = "{:.1f}" if key.split("_")[-1] == "ms" else "{:.0f}"
        print(
            f"{label:{width}}" + "".join(f"{shape.format(figures[key]):>14}" for figures in columns.values())
        )


def verdicts(budgets: Sequence[tuple[str, bool]]) -> bool:
    """Print whether each budget holds; True when they all do."""
    for label, ok in budgets:
        print(f"  [{'ok' if ok else 'FAIL'}] {label}")
    return all(ok for _, ok in budgets)
