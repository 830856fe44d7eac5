"""The embeddable SVG card: overall progress and top skills, every text escaped, no styles the
embedding page could break (presentation attributes only)."""

from __future__ import annotations

from html import escape

WIDTH, HEIGHT = 480, 170


def _fit(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def progress_card(
    *, name: str, percent: int, complete: int, total: int, skills: list[str], page_url: str
) -> str:
    bar = round(4.2 * max(0, min(100, percent)))
    title = escape(f"{name}: {percent}% of their Pathwise roadmap done")
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="card-title">',
        f'<title id="card-title">{title}</title>',
        f'<a href="{escape(page_url)}" target="_blank">',
        f'<rect width="{WIDTH}" height="{HEIGHT}" rx="12" fill="#ffffff" stroke="#d0d7de"/>',
        f'<text x="24" y="38" font-family="system-ui, sans-serif" font-size="18" font-weight="600" fill="#1f2328">{escape(_fit(name, 40))}</text>',
        f'<text x="24" y="62" font-family="system-ui, sans-serif" font-size="13" fill="#57606a">{complete} of {total} steps done · {percent}%</text>',
        '<rect x="24" y="74" width="420" height="12" rx="6" fill="#eaeef2"/>',
        f'<rect x="24" y="74" width="{bar}" height="12" rx="6" fill="#1f7a4d"/>',
        '<text x="24" y="112" font-family="system-ui, sans-serif" font-size="13" font-weight="600" fill="#1f2328">Top skills</text>',
        f'<text x="24" y="134" font-family="system-ui, sans-serif" font-size="13" fill="#57606a">{escape(_fit(" · ".join(skills) or "None finished yet", 62))}</text>',
        '<text x="456" y="156" text-anchor="end" font-family="system-ui, sans-serif" font-size="11" fill="#8c959f">Pathwise</text>',
        "</a></svg>",
    ]
    return "\n".join(lines)
