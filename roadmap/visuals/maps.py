"""The roadmap map as pure layout and SVG: stages, steps, their prerequisite edges."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Protocol

from roadmap.planning import item_state

# ---------------------------------------------------------------- the map

NODE_WIDTH = 188
NODE_HEIGHT = 28
COLUMN_GAP = 56
ROW_GAP = 10
MARGIN = 12
LABEL_CHARS = 21  # about what fits before the status mark; longer names end in an ellipsis
LABEL_WIDTH = NODE_WIDTH - 40

MAP_STATUSES = ("not_started", "in_progress", "done", "skipped", "known")
STATUS_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "done": "Done",
    "skipped": "Skipped",
    "known": "Known already",
}
# A mark beside the colour, so status never rests on colour alone (WCAG 1.4.1).
STATUS_GLYPHS = {"not_started": "", "in_progress": "…", "done": "✓", "skipped": "\u2013", "known": "★"}
KIND_LABELS = {"skill": "skill", "course": "course", "certification": "certification", "project": "project"}


class MapEntry(Protocol):
    """What the map needs of a plan item (roadmap.selectors.Entry has it)."""

    @property
    def position(self) -> int: ...
    @property
    def kind(self) -> str: ...
    @property
    def slug(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def known(self) -> bool: ...
    @property
    def stage_index(self) -> int: ...
    @property
    def needs(self) -> tuple[int, ...]: ...


@dataclass(frozen=True)
class MapNode:
    position: int
    kind: str
    slug: str
    name: str
    status: str
    layer: int
    row: int
    x: int
    y: int

    @property
    def truncated(self) -> bool:
        """The full name is drawn but clipped (so it stays the link's visible text); mark the cut."""
        return len(self.name) > LABEL_CHARS

    @property
    def label_width(self) -> int:
        return LABEL_WIDTH

    @property
    def ellipsis_x(self) -> int:
        return self.text_x + LABEL_WIDTH

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def glyph(self) -> str:
        return STATUS_GLYPHS.get(self.status, "")

    @property
    def glyph_x(self) -> int:
        return self.x + NODE_WIDTH - 16

    @property
    def text_x(self) -> int:
        return self.x + 10

    @property
    def text_y(self) -> int:
        return self.y + NODE_HEIGHT // 2 + 5


@dataclass(frozen=True)
class MapEdge:
    source: int
    target: int
    path: str
    done: bool


@dataclass(frozen=True)
class MapLayout:
    nodes: list[MapNode]
    edges: list[MapEdge]
    width: int
    height: int
    layers: int

    @property
    def node_width(self) -> int:
        return NODE_WIDTH

    @property
    def node_height(self) -> int:
        return NODE_HEIGHT


def map_status(*, status: str, known: bool) -> str:
    """The colour of a node: "known" for a skill the learner knows (planning.item_state), else the status."""
    return item_state(status=status, known=known)


def longest_path_layers(needs: Mapping[int, Iterable[int]]) -> dict[int, int]:
    """Each node's layer: 0 without prerequisites, else one more than its deepest prerequisite.

    Prerequisites outside `needs` are ignored; a cycle (which the catalog forbids) is broken
    where it is found instead of looping.
    """
    layers: dict[int, int] = {}
    visiting: set[int] = set()
    for root in sorted(needs):
        if root in layers:
            continue
        stack: list[tuple[int, bool]] = [(root, False)]
        while stack:
            node, expanded = stack.pop()
            inside = [n for n in needs.get(node, ()) if n in needs]
            if expanded:
                visiting.discard(node)
                layers[node] = 1 + max((layers.get(n, -1) for n in inside), default=-1)
                continue
            if node in layers or node in visiting:
                continue
            visiting.add(node)
            stack.append((node, True))
            stack.extend((n, False) for n in inside if n not in layers and n not in visiting)
    return layers


def order_rows(
    layers: Mapping[int, int], needs: Mapping[int, Iterable[int]], tie: Mapping[int, tuple[int, ...]]
) -> dict[int, int]:
    """A row for every node, column by column, each placed near the mean row of its prerequisites.

    The first column goes in `tie` order (stage, then plan position); later ones are sorted by
    that mean (the barycenter heuristic, which keeps lines short and few crossings) and pushed
    down only as far as needed to keep one node per row.
    """
    rows: dict[int, int] = {}
    by_layer: dict[int, list[int]] = {}
    for node, layer in layers.items():
        by_layer.setdefault(layer, []).append(node)
    for layer in sorted(by_layer):
        wanted: dict[int, float] = {}
        for node in by_layer[layer]:
            placed = [rows[n] for n in needs.get(node, ()) if n in rows]
            wanted[node] = sum(placed) / len(placed) if placed else 0.0
        next_free = 0
        for node in sorted(by_layer[layer], key=lambda n: (wanted[n], tie[n], n)):
            rows[node] = max(next_free, round(wanted[node]))
            next_free = rows[node] + 1
    return rows


def edge_path(x1: int, y1: int, x2: int, y2: int) -> str:
    """A smooth S-curve from the right edge of one node to the left edge of another."""
    bend = max((x2 - x1) // 2, 20)
    return f"M{x1} {y1} C{x1 + bend} {y1} {x2 - bend} {y2} {x2} {y2}"


def map_layout(entries: Sequence[MapEntry]) -> MapLayout:
    """Nodes in columns by prerequisite depth (like a subway map) and the edges between them."""
    needs = {e.position: tuple(e.needs) for e in entries}
    tie = {e.position: (e.stage_index, e.position) for e in entries}
    layers = longest_path_layers(needs)
    rows = order_rows(layers, needs, tie)
    nodes: dict[int, MapNode] = {}
    for e in entries:
        layer, row = layers[e.position], rows[e.position]
        nodes[e.position] = MapNode(
            position=e.position,
            kind=e.kind,
            slug=e.slug,
            name=e.name,
            status=map_status(status=e.status, known=e.known),
            layer=layer,
            row=row,
            x=MARGIN + layer * (NODE_WIDTH + COLUMN_GAP),
            y=MARGIN + row * (NODE_HEIGHT + ROW_GAP),
        )
    edges = []
    for target in nodes.values():
        for source_key in needs[target.position]:
            source = nodes.get(source_key)
            if source is None:
                continue
            path = edge_path(
                source.x + NODE_WIDTH,
                source.y + NODE_HEIGHT // 2,
                target.x,
                target.y + NODE_HEIGHT // 2,
            )
            edges.append(MapEdge(source.position, target.position, path, source.status in ("done", "known")))
    layer_count = 1 + max(layers.values(), default=-1)
    row_count = 1 + max(rows.values(), default=-1)
    ordered = sorted(nodes.values(), key=lambda n: (n.layer, n.row))
    return MapLayout(
        nodes=ordered,
        edges=edges,
        width=2 * MARGIN + max(layer_count * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP, 0),
        height=2 * MARGIN + max(row_count * (NODE_HEIGHT + ROW_GAP) - ROW_GAP, 0),
        layers=layer_count,
    )


def map_svg(layout: MapLayout, *, href: Callable[[str, str], str], title: str) -> str:
    """The map as SVG markup: one keyboard-focusable link per node, edges as two paths (open, done).

    Built here rather than in a template: a thousand-step map is ~10,000 values, and Python's
    string building renders it an order of magnitude faster. Every text goes through escape().
    No style attributes (the CSP forbids them): classes and presentation attributes only.
    """
    w, h = layout.width, layout.height
    parts = [
        f'<svg class="roadmap-map" width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="group" '
        f'aria-labelledby="map-title"><title id="map-title">{escape(title)}</title>'
    ]
    for done, css in ((False, "edge"), (True, "edge edge-done")):
        d = " ".join(e.path for e in layout.edges if e.done == done)
        if d:
            parts.append(f'<path class="{css}" d="{d}" aria-hidden="true"/>')
    parts.append('<g class="map-nodes">')
    for n in layout.nodes:
        name = escape(n.name)
        parts.append(
            f'<a class="map-node node-{n.status}" href="{escape(href(n.kind, n.slug))}" '
            f'aria-label="{name}, {n.kind_label}: {n.status_label}"><title>{name}</title>'
            f'<rect x="{n.x}" y="{n.y}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}" rx="6"/>'
            f'<clipPath id="clip-{n.position}"><rect x="{n.text_x}" y="{n.y}" width="{LABEL_WIDTH}" '
            f'height="{NODE_HEIGHT}"/></clipPath>'
            f'<text x="{n.text_x}" y="{n.text_y}" clip-path="url(#clip-{n.position})">{name}</text>'
        )
        if n.truncated:
            parts.append(f'<text x="{n.ellipsis_x}" y="{n.text_y}" aria-hidden="true">…</text>')
        if n.glyph:
            parts.append(
                f'<text class="node-glyph" x="{n.glyph_x}" y="{n.text_y}" aria-hidden="true">{n.glyph}</text>'
            )
        parts.append("</a>")
    parts.append("</g></svg>")
    return "".join(parts)
