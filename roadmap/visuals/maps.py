"""The roadmap map as pure layout: a subway map in bands, one per stage in plan order. Stations are
skills (with the courses, certifications and projects that serve them listed on their card); lines
are prerequisites within a stage, routed through the gaps between columns and through slots kept
free for them, so no line crosses a card. Rendering lives in map_svg.py."""

from __future__ import annotations

import functools
import textwrap
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from roadmap.planning import item_state

CARD_WIDTH = 208
COLUMN_GAP = 64  # the gutter the lines turn in
CARD_GAP = 14
SLOT_HEIGHT = 10  # the free slot a line passes through a column it skips
PAD = 10
HEADER_LINE = 17
ATTACH_LINE = 15
# Space under each attached step: a one-line link is 14 px tall, and links 24 px apart pass WCAG 2.2's
# target spacing (2.5.8) on a phone.
ATTACH_GAP = 9
HEADER_CHARS = 20  # what fits on one line of the card at 13 px bold, beside the status mark
ATTACH_CHARS = 25  # at 12 px, the kind included ("course: …")
BAND_TITLE = 40
BAND_GAP = 18
MARGIN = 16
CENTER = PAD + HEADER_LINE // 2 + 4  # from a card's top to the middle of its first line, where lines meet it

MAP_STATUSES = ("not_started", "in_progress", "done", "skipped", "known")
STATUS_LABELS = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "done": "Done",
    "skipped": "Skipped",
    "known": "Known already",
}
# A mark beside the colour, so status never rests on colour alone (WCAG 1.4.1).
STATUS_GLYPHS = {"not_started": "○", "in_progress": "◐", "done": "✓", "skipped": "\u2013", "known": "★"}
KIND_LABELS = {"skill": "skill", "course": "course", "certification": "certification", "project": "project"}
KIND_SHORT = {"skill": "skill", "course": "course", "certification": "exam", "project": "project"}


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
    def stage_title(self) -> str: ...
    @property
    def needs(self) -> tuple[int, ...]: ...


def map_status(*, status: str, known: bool) -> str:
    """The colour of a step: "known" for a skill the learner knows (planning.item_state), else the status."""
    return item_state(status=status, known=known)


@functools.lru_cache(maxsize=4096)
def wrap(text: str, width: int) -> tuple[str, ...]:
    """The whole text on lines of at most `width` characters (a longer word is broken); kept per
    process, as the same step names are wrapped on every map (textwrap was a fifth of a map's CPU)."""
    return tuple(textwrap.wrap(text, width=width, break_long_words=True)) or ("",)


@dataclass(frozen=True)
class MapItem:
    """One step as the map shows it: a station's own step, or one attached to a station."""

    position: int
    kind: str
    slug: str
    name: str
    status: str
    lines: tuple[str, ...]
    lit: bool = True
    next_up: bool = False

    @property
    def status_label(self) -> str:
        return STATUS_LABELS.get(self.status, self.status)

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)

    @property
    def kind_short(self) -> str:
        return KIND_SHORT.get(self.kind, self.kind)

    @property
    def glyph(self) -> str:
        return STATUS_GLYPHS.get(self.status, "")


@dataclass(frozen=True)
class Station:
    item: MapItem
    attached: tuple[MapItem, ...]
    column: int
    x: int
    y: int
    height: int

    @property
    def center_y(self) -> int:
        return self.y + CENTER

    @property
    def lit(self) -> bool:
        return self.item.lit or any(a.lit for a in self.attached)


@dataclass(frozen=True)
class Band:
    """One stage: its stations, its place on the map, its figures."""

    index: int
    title: str
    y: int
    height: int
    stations: tuple[Station, ...]
    current: bool
    done: int
    total: int


@dataclass(frozen=True)
class MapEdge:
    source: int
    target: int
    path: str
    done: bool
    lit: bool


@dataclass(frozen=True)
class MapLayout:
    bands: list[Band]
    edges: list[MapEdge]
    width: int
    height: int
    focus: MapItem | None = None
    items: list[MapItem] = field(default_factory=list)
    current_stage: int | None = None

    @property
    def nodes(self) -> list[MapItem]:
        """Every step on the map, stations and attached ones."""
        return self.items

    @property
    def card_width(self) -> int:
        return CARD_WIDTH


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


def related(needs: Mapping[int, Iterable[int]], start: int) -> set[int]:
    """`start`, everything it needs (transitively) and everything that needs it (transitively)."""
    unlocks: dict[int, list[int]] = {}
    for node, wanted in needs.items():
        for n in wanted:
            unlocks.setdefault(n, []).append(node)
    found = {start}
    for graph in (needs, unlocks):
        stack = [start]
        while stack:
            for n in graph.get(stack.pop(), ()):
                if n not in found:
                    found.add(n)
                    stack.append(n)
    return found


def _column_x(column: int) -> int:
    return MARGIN + column * (CARD_WIDTH + COLUMN_GAP)


def _gutter_x(column: int, lane: int) -> int:
    """Where a line leaving `column` turns: in the gutter to its right, a lane per source so that
    lines from different stations run side by side instead of on top of each other."""
    return _column_x(column) + CARD_WIDTH + COLUMN_GAP // 2 + (lane % 5 - 2) * 6


def _band_layout(
    stations: list[tuple[MapItem, tuple[MapItem, ...]]], needs: Mapping[int, tuple[int, ...]], top: int
) -> tuple[list[Station], list[tuple[int, int, list[tuple[int, int]]]], int]:
    """Stations of one band in columns by prerequisite depth within the band, each near the middle
    of what it needs; a line skipping columns gets a free slot in each. Returns the stations, the
    lines (source, target, [(column, y) of each slot]) and the band's bottom."""
    ids = {item.position for item, _ in stations}
    inside = {p: tuple(n for n in needs.get(p, ()) if n in ids) for p in ids}
    layers = longest_path_layers(inside)
    heights = {
        item.position: PAD * 2
        + HEADER_LINE * len(item.lines)
        + sum(ATTACH_LINE * len(a.lines) + ATTACH_GAP for a in attached)
        + (ATTACH_GAP if attached else 0)
        for item, attached in stations
    }
    order = {item.position: i for i, (item, _) in enumerate(stations)}
    # A free slot for each column a line skips, keyed (source, target, column).
    slots: dict[int, list[tuple[int, int, int]]] = {}
    for target, wanted in inside.items():
        for source in wanted:
            for column in range(layers[source] + 1, layers[target]):
                slots.setdefault(column, []).append((source, target, column))
    centers: dict[int, int] = {}  # station position -> y where lines meet it
    tops: dict[int, int] = {}
    slot_y: dict[tuple[int, int, int], int] = {}
    for column in range(1 + max(layers.values(), default=-1)):
        cards: list[tuple[float, int, int | tuple[int, int, int]]] = []
        for p in (p for p in ids if layers[p] == column):
            above = [centers[n] for n in inside[p] if n in centers]
            cards.append((sum(above) / len(above) if above else float(top), order[p], p))
        for slot in slots.get(column, []):
            cards.append(
                (float(slot_y.get((slot[0], slot[1], column - 1), centers[slot[0]])), order[slot[0]], slot)
            )
        next_free = top
        # Both kinds go down the column together, each as near the middle of what it continues as it can.
        for desire, _, what in sorted(cards, key=lambda w: (w[0], w[1])):
            if isinstance(what, int):
                tops[what] = max(next_free, round(desire) - CENTER)
                centers[what] = tops[what] + CENTER
                next_free = tops[what] + heights[what] + CARD_GAP
            else:
                slot_top = max(next_free, round(desire) - SLOT_HEIGHT // 2)
                slot_y[what] = slot_top + SLOT_HEIGHT // 2
                next_free = slot_top + SLOT_HEIGHT + CARD_GAP
    built = [
        Station(
            item=item,
            attached=attached,
            column=layers[item.position],
            x=_column_x(layers[item.position]),
            y=tops[item.position],
            height=heights[item.position],
        )
        for item, attached in stations
    ]
    lines = []
    for target, wanted in inside.items():
        for source in wanted:
            hops = [
                (column, slot_y[(source, target, column)])
                for column in range(layers[source] + 1, layers[target])
            ]
            lines.append((source, target, hops))
    bottom = max((s.y + s.height for s in built), default=top)
    bottom = max([bottom, *(y + SLOT_HEIGHT for y in slot_y.values())])
    return built, lines, bottom


def _edge_path(source: Station, target: Station, hops: list[tuple[int, int]], lane: int) -> str:
    """Right out of the source card, turning only in gutters, through each free slot, into the target."""
    x, y = source.x + CARD_WIDTH, source.center_y
    parts = [f"M{x} {y}"]
    column = source.column
    for hop_column, hop_y in [*hops, (target.column, target.center_y)]:
        turn = _gutter_x(column, lane)
        parts.append(
            f"H{turn} V{hop_y} H{_column_x(hop_column) + (CARD_WIDTH if hop_column != target.column else 0)}"
        )
        column = hop_column
    return " ".join(parts)


def map_layout(
    entries: Sequence[MapEntry],
    *,
    attach: Mapping[int, int] | None = None,
    stages: Collection[int] | None = None,
    focus: int | None = None,
    next_up: Collection[int] = (),
    current_stage: int | None = None,
) -> MapLayout:
    """Lay out the map: a band per stage (only `stages` when given), a station per skill, with the
    steps of `attach` (position -> station position) on their station's card; `focus` lights one
    step with what it needs and what it unlocks, and fades the rest."""
    attach = attach or {}
    needs = {e.position: tuple(e.needs) for e in entries}
    lit = related(needs, focus) if focus in needs else None
    if lit is not None and focus is not None:
        lit |= {p for p, s in attach.items() if s == focus} | ({attach[focus]} if focus in attach else set())

    def item(e: MapEntry, width: int) -> MapItem:
        text = e.name if width == HEADER_CHARS else f"{KIND_SHORT.get(e.kind, e.kind)}: {e.name}"
        return MapItem(
            position=e.position,
            kind=e.kind,
            slug=e.slug,
            name=e.name,
            status=map_status(status=e.status, known=e.known),
            lines=wrap(text, width),
            lit=lit is None or e.position in lit,
            next_up=e.position in next_up,
        )

    by_position = {e.position: e for e in entries}
    attached: dict[int, list[MapItem]] = {}
    for e in entries:
        station = attach.get(e.position)
        if station in by_position and station != e.position:
            attached.setdefault(station, []).append(item(e, ATTACH_CHARS))
    bands: list[Band] = []
    edges: list[MapEdge] = []
    items: list[MapItem] = []
    y, width = MARGIN, 0
    for index in sorted({e.stage_index for e in entries}):
        members = [e for e in entries if e.stage_index == index]
        if stages is not None and index not in stages:
            continue
        rows = [
            (item(e, HEADER_CHARS), tuple(attached.get(e.position, ())))
            for e in members
            if by_position.get(attach.get(e.position, -1)) is None
        ]
        built, lines, bottom = _band_layout(rows, needs, y + BAND_TITLE)
        at = {s.item.position: s for s in built}
        for lane, (source, target, hops) in enumerate(lines):
            a, b = at[source], at[target]
            edges.append(
                MapEdge(
                    source=source,
                    target=target,
                    path=_edge_path(a, b, hops, lane),
                    done=a.item.status in ("done", "known"),
                    lit=a.item.lit and b.item.lit,
                )
            )
        states = [map_status(status=e.status, known=e.known) for e in members]
        bands.append(
            Band(
                index=index,
                title=members[0].stage_title,
                y=y,
                height=bottom - y + PAD,
                stations=tuple(built),
                current=index == current_stage,
                done=sum(s in ("done", "known") for s in states),
                total=sum(s != "skipped" for s in states),
            )
        )
        for card in built:
            items.extend([card.item, *card.attached])
        width = max([width, *(s.x + CARD_WIDTH + MARGIN for s in built)])
        y = bottom + PAD + BAND_GAP
    focused = next((i for i in items if i.position == focus), None) if lit is not None else None
    return MapLayout(
        bands=bands,
        edges=edges,
        width=max(width, 2 * MARGIN + CARD_WIDTH),
        height=max(y - BAND_GAP + MARGIN, 2 * MARGIN),
        focus=focused,
        items=items,
        current_stage=current_stage,
    )
