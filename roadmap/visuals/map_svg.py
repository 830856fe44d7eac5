"""The map as SVG markup (the layout of maps.py): a band per stage, a card per station whose own step
and attached steps are each a keyboard-focusable link, the lines between them.

Built here rather than in a template: a thousand-step map is ~10,000 values, and Python's string
building renders it an order of magnitude faster. Every text goes through escape(). No style
attributes (the CSP forbids them): classes and presentation attributes only."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from roadmap.visuals.maps import (
    ATTACH_GAP,
    ATTACH_LINE,
    BAND_TITLE,
    CARD_WIDTH,
    HEADER_LINE,
    MARGIN,
    PAD,
    MapItem,
    MapLayout,
    Station,
)


def _faded(item: MapItem) -> str:
    return "" if item.lit else " is-faded"


def _label(item: MapItem, *, attached: bool = False) -> str:
    """The link's accessible name starts with its visible text (WCAG 2.5.3), then says the status."""
    extra = ", next up" if item.next_up else ""
    if attached:
        return escape(f"{item.kind_short}: {item.name}, {item.status_label}{extra}")
    return escape(f"{item.name}, {item.kind_label}: {item.status_label}{extra}")


def _tspans(lines: tuple[str, ...], x: int, step: int) -> str:
    """Wrapped lines; each but the last ends in a space, so the text reads as the whole name."""
    last = len(lines) - 1
    return "".join(
        f'<tspan x="{x}" dy="{step if i else 0}">{escape(line)}{" " if i < last else ""}</tspan>'
        for i, line in enumerate(lines)
    )


def _station(station: Station, href: Callable[[str, str], str]) -> list[str]:
    item, x, y = station.item, station.x, station.y
    card = "station" + (" is-next" if item.next_up else "") + ("" if station.lit else " is-faded")
    parts = [
        f'<g class="{card}"><rect class="station-card" x="{x}" y="{y}" width="{CARD_WIDTH}" '
        f'height="{station.height}" rx="8"/>',
        f'<a class="map-node node-{item.status}{_faded(item)}" href="{escape(href(item.kind, item.slug))}" '
        f'aria-label="{_label(item)}"><title>{escape(item.name)}</title>'
        f'<rect class="station-head" x="{x}" y="{y}" width="{CARD_WIDTH}" '
        f'height="{PAD * 2 + HEADER_LINE * len(item.lines) - 4}" rx="8"/>'
        f'<circle class="station-dot" cx="{x}" cy="{station.center_y}" r="6"/>',
    ]
    parts.append(f'<text class="station-name" x="{x + 14}" y="{y + PAD + 12}">')
    parts.append(_tspans(item.lines, x + 14, HEADER_LINE))
    parts.append("</text>")
    parts.append(
        f'<text class="node-glyph" x="{x + CARD_WIDTH - 10}" y="{y + PAD + 12}" text-anchor="end" '
        f'aria-hidden="true">{item.glyph}</text></a>'
    )
    line_y = y + PAD * 2 + HEADER_LINE * len(item.lines) + 8 + ATTACH_GAP
    for attached in station.attached:
        parts.append(
            f'<a class="map-attach node-{attached.status}{_faded(attached)}" '
            f'href="{escape(href(attached.kind, attached.slug))}" aria-label="{_label(attached, attached=True)}">'
            f"<title>{escape(attached.name)}</title>"
            f'<text class="attach-glyph" x="{x + 14}" y="{line_y}" aria-hidden="true">{attached.glyph}</text>'
            f'<text x="{x + 28}" y="{line_y}">'
        )
        parts.append(_tspans(attached.lines, x + 28, ATTACH_LINE))
        parts.append("</text></a>")
        line_y += ATTACH_LINE * len(attached.lines) + ATTACH_GAP
    parts.append("</g>")
    return parts


def map_svg(layout: MapLayout, *, href: Callable[[str, str], str], title: str) -> str:
    w, h = layout.width, layout.height
    parts = [
        f'<svg class="roadmap-map{" has-focus" if layout.focus else ""}" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}" role="group" aria-labelledby="map-title"><title id="map-title">{escape(title)}</title>'
    ]
    for band in layout.bands:
        css = "band band-current" if band.current else "band"
        here = " · you are here" if band.current else ""
        parts.append(
            f'<g class="{css}"><rect class="band-bg" x="{MARGIN // 2}" y="{band.y}" width="{w - MARGIN}" '
            f'height="{band.height}" rx="10"/><text class="band-title" x="{MARGIN}" y="{band.y + BAND_TITLE - 14}">'
            f'{escape(band.title or "Other steps")} <tspan class="band-count">{band.done} of {band.total} done'
            f"{here}</tspan></text></g>"
        )
    for done in (False, True):
        for lit in (False, True):
            d = " ".join(e.path for e in layout.edges if e.done == done and e.lit == lit)
            if d:
                css = "edge" + (" edge-done" if done else "") + ("" if lit else " is-faded")
                parts.append(f'<path class="{css}" d="{d}" aria-hidden="true"/>')
    parts.append('<g class="map-nodes">')
    for band in layout.bands:
        for station in band.stations:
            parts.extend(_station(station, href))
    parts.append("</g></svg>")
    return "".join(parts)
