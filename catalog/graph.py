"""The skill-prerequisite graph: cycle detection on plain edges (no models, no queries)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping


def find_path(graph: Mapping[int, Iterable[int]], start: int, goal: int) -> list[int] | None:
    """A path start → … → goal following edges of `graph` (node → nodes it requires), or None."""
    stack: list[tuple[int, list[int]]] = [(start, [start])]
    seen = {start}
    while stack:
        node, path = stack.pop()
        if node == goal:
            return path
        for nxt in sorted(graph.get(node, ())):
            if nxt not in seen:
                seen.add(nxt)
                stack.append((nxt, [*path, nxt]))
    return None


def find_cycle_with_edge(
    edges: Iterable[tuple[int, int]], skill_id: int, requires_id: int
) -> list[int] | None:
    """The cycle adding `skill needs requires` to `edges` (skill, requires) would close, or None.

    Returned as the closed list of nodes: [skill, requires, ..., skill].
    """
    graph: dict[int, list[int]] = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
    path = find_path(graph, requires_id, skill_id)
    return None if path is None else [skill_id, *path]


def find_cycle(edges: Iterable[tuple[str, str]]) -> list[str] | None:
    """Any cycle in a graph given as (node, requires) pairs, as a closed list of nodes."""
    graph: dict[str, list[str]] = {}
    for a, b in edges:
        graph.setdefault(a, []).append(b)
    white, grey, black = 0, 1, 2
    colour: dict[str, int] = {}
    for root in sorted(graph):
        if colour.get(root, white) != white:
            continue
        stack: list[tuple[str, int]] = [(root, 0)]
        path: list[str] = []
        while stack:
            node, idx = stack.pop()
            if idx == 0:
                colour[node] = grey
                path.append(node)
            children = sorted(graph.get(node, ()))
            if idx < len(children):
                stack.append((node, idx + 1))
                child = children[idx]
                state = colour.get(child, white)
                if state == grey:
                    return [*path[path.index(child) :], child]
                if state == white:
                    stack.append((child, 0))
            else:
                colour[node] = black
                path.pop()
    return None
