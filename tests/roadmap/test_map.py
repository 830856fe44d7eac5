"""The map's layout (pure): stages as bands, skills as stations with what serves them on their card,
whole names, lines that never cross a card, focus, next up. The page: test_map_page.py."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from roadmap.visuals import longest_path_layers, map_layout, map_status, map_svg


@dataclass(frozen=True)
class FakeEntry:
    position: int
    needs: tuple[int, ...] = ()
    status: str = "not_started"
    known: bool = False
    kind: str = "skill"
    stage_index: int = 0
    stage_title: str = "Stage"
    name: str = ""
    slug: str = field(default="")


def entries(
    needs: dict[int, tuple[int, ...]], stage_of: Callable[[int], int] = lambda p: 0
) -> list[FakeEntry]:
    return [
        FakeEntry(
            p,
            n,
            name=f"Step {p}",
            slug=f"step-{p}",
            stage_index=stage_of(p),
            stage_title=f"Stage {stage_of(p)}",
        )
        for p, n in needs.items()
    ]


def segments(path: str) -> list[tuple[float, float, float, float]]:
    """The straight pieces of an edge path made of M, H and V commands."""
    pieces, x, y = [], 0.0, 0.0
    for command, value in re.findall(r"([MHV])\s*([-\d.]+(?:\s+[-\d.]+)?)", path):
        if command == "M":
            x, y = map(float, value.split())
            continue
        nx, ny = (float(value), y) if command == "H" else (x, float(value))
        pieces.append((x, y, nx, ny))
        x, y = nx, ny
    return pieces


def crosses(piece: tuple[float, float, float, float], box: tuple[int, int, int, int]) -> bool:
    """Whether a horizontal or vertical piece runs through the inside of a box (touching its edge is fine)."""
    x1, y1, x2, y2 = piece
    left, top, right, bottom = box
    if y1 == y2:
        return top < y1 < bottom and min(x1, x2) < right - 1 and max(x1, x2) > left + 1
    return left < x1 < right and min(y1, y2) < bottom and max(y1, y2) > top


# ---------------------------------------------------------------- map layout (pure)


def test_layers_follow_the_longest_chain_of_prerequisites() -> None:
    # 1 → 2 → 4 and 1 → 4 directly: 4 sits after 2, not beside it.
    assert longest_path_layers({1: (), 2: (1,), 3: (), 4: (1, 2)}) == {1: 0, 2: 1, 3: 0, 4: 2}


def test_prerequisites_outside_the_plan_are_ignored() -> None:
    assert longest_path_layers({5: (99,), 6: (5,)}) == {5: 0, 6: 1}


def test_a_cycle_does_not_hang_the_layout() -> None:
    layers = longest_path_layers({1: (2,), 2: (1,), 3: (2,)})
    assert set(layers) == {1, 2, 3}


def test_stages_are_bands_in_plan_order_one_above_the_next() -> None:
    layout = map_layout(entries({p: () for p in range(1, 10)}, stage_of=lambda p: (p - 1) // 3))
    assert [band.index for band in layout.bands] == [0, 1, 2]
    for above, below in itertools.pairwise(layout.bands):
        assert above.y + above.height < below.y
    for band in layout.bands:
        assert all(band.y < s.y and s.y + s.height <= band.y + band.height for s in band.stations)


def test_courses_projects_and_exams_ride_on_the_skill_they_serve() -> None:
    skill = FakeEntry(1, name="Python", slug="python")
    course = FakeEntry(2, kind="course", name="CS50 Python", slug="cs50", needs=(1,))
    loose = FakeEntry(3, kind="project", name="Serves nothing here", slug="loose")
    layout = map_layout([skill, course, loose], attach={2: 1})
    stations = {s.item.position: s for band in layout.bands for s in band.stations}
    assert set(stations) == {1, 3}  # the course is no station of its own; the loose project is
    assert [a.name for a in stations[1].attached] == ["CS50 Python"]
    assert len(layout.nodes) == 3


def test_every_name_is_drawn_whole_on_wrapped_lines() -> None:
    name = "Model selection and algorithm trade-offs in production"
    layout = map_layout([FakeEntry(1, name=name, slug="m")])
    (item,) = layout.nodes
    assert len(item.lines) > 1 and " ".join(item.lines) == name
    assert all(len(line) <= 20 for line in item.lines)


def test_no_line_of_the_map_runs_through_a_card() -> None:
    # Long jumps across columns, fans in and out, two stages.
    needs = {
        p: tuple(q for q in (p - 1, p - 4, p // 3) if 1 <= q < p and (q - 1) // 12 == (p - 1) // 12)
        for p in range(1, 25)
    }
    layout = map_layout(entries(needs, stage_of=lambda p: (p - 1) // 12))
    boxes = {
        s.item.position: (s.x, s.y, s.x + layout.card_width, s.y + s.height)
        for b in layout.bands
        for s in b.stations
    }
    assert len(layout.edges) > 30
    for edge in layout.edges:
        for piece in segments(edge.path):
            hit = [p for p, box in boxes.items() if crosses(piece, box)]
            assert hit == [], f"edge {edge.source}→{edge.target} crosses {hit}"


def test_no_two_cards_overlap_and_every_card_is_inside_the_map() -> None:
    needs = {p: tuple(q for q in (p - 1, p // 3) if q >= 1 and q != p) for p in range(1, 160)}
    layout = map_layout(entries(needs, stage_of=lambda p: p // 40))
    cards = [(s.x, s.y, s.x + layout.card_width, s.y + s.height) for b in layout.bands for s in b.stations]
    assert len(cards) == 159
    for i, a in enumerate(cards):
        assert a[2] <= layout.width and a[3] <= layout.height
        for b in cards[i + 1 :]:
            assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]


def test_focus_keeps_prerequisites_and_what_it_unlocks_lit() -> None:
    # 1 → 2 → 3 → 4, and 5 on its own; focus on 2.
    layout = map_layout(entries({1: (), 2: (1,), 3: (2,), 4: (3,), 5: ()}), focus=2)
    lit = {item.position for item in layout.nodes if item.lit}
    assert lit == {1, 2, 3, 4}
    assert layout.focus is not None and layout.focus.position == 2
    svg = map_svg(layout, href=lambda kind, slug: "/", title="Map")
    assert svg.count("is-faded") >= 1 and 'class="roadmap-map has-focus"' in svg


def test_the_current_stage_and_next_up_are_marked() -> None:
    layout = map_layout(entries({1: (), 2: (1,)}, stage_of=lambda p: p), next_up={2}, current_stage=2)
    assert [band.current for band in layout.bands] == [False, True]
    svg = map_svg(layout, href=lambda kind, slug: "/", title="Map")
    assert "band band-current" in svg and "you are here" in svg
    assert 'class="station is-next"' in svg and 'aria-label="Step 2, skill: Not started, next up"' in svg


def test_one_stage_alone_is_a_map_of_its_own() -> None:
    layout = map_layout(entries({p: () for p in range(1, 7)}, stage_of=lambda p: (p - 1) // 3), stages={1})
    assert [band.index for band in layout.bands] == [1]
    assert {item.position for item in layout.nodes} == {4, 5, 6}


def test_an_empty_plan_gives_an_empty_map() -> None:
    layout = map_layout([])
    assert (layout.nodes, layout.edges, layout.bands) == ([], [], [])


def test_the_map_svg_escapes_names_and_uses_no_inline_styles() -> None:
    entry = FakeEntry(1, name='<script>alert("x")</script> & co', slug="evil", status="done")
    svg = map_svg(map_layout([entry]), href=lambda kind, slug: f"/plan/{kind}/{slug}/", title="Map")
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co" in svg
    assert 'href="/plan/skill/evil/"' in svg
    assert "style=" not in svg


def test_known_skills_show_as_known_whatever_their_status() -> None:
    assert map_status(status="not_started", known=True) == "known"
    assert map_status(status="done", known=True) == "known"
    assert map_status(status="in_progress", known=False) == "in_progress"
