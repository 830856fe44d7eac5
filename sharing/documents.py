"""The plan as a document, in Markdown and as a PDF (WeasyPrint): stages, steps with status and hours,
the target and projected finish, the notes chosen, and the map."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string

from accounts.models import User
from catalog.models import ITEM_FIELDS
from roadmap.attachments import plan_map
from roadmap.models import OwnStep, Progress
from roadmap.selectors import Entry
from roadmap.visuals import map_svg
from sharing.selectors import SharedPlan


@dataclass(frozen=True)
class StageSection:
    index: int
    title: str
    steps: list[Entry]


@dataclass(frozen=True)
class PlanDocument:
    """What the document holds; `notes` by (kind, slug) are the ones the reader may see."""

    whose: str
    plan: SharedPlan
    stages: list[StageSection]
    notes: dict[tuple[str, str], str] = field(default_factory=dict)
    own_steps: list[OwnStep] = field(default_factory=list)
    made_on: dt.date | None = None

    @property
    def note_rows(self) -> list[tuple[str, str]]:
        """(step name, note) in plan order."""
        return [
            (e.name, self.notes[(e.kind, e.slug)])
            for section in self.stages
            for e in section.steps
            if (e.kind, e.slug) in self.notes
        ]


def plan_document(*, learner: User, plan: SharedPlan, whose: str, notes: str) -> PlanDocument:
    """`notes`: "all" (the learner's own copy, when they ask), "shared" (a mentor's: only what the
    learner shares with mentors) or "none". Two queries beyond the plan."""
    sections: dict[int, StageSection] = {}
    for entry in plan.entries:
        sections.setdefault(
            entry.stage_index, StageSection(entry.stage_index, entry.stage_title, [])
        ).steps.append(entry)
    found: dict[tuple[str, str], str] = {}
    if notes in ("all", "shared"):
        rows = Progress.objects.filter(learner=learner).exclude(notes="")
        if notes == "shared":
            rows = rows.filter(notes_shared=True)
        slugs = [f"{kind}__slug" for kind in ITEM_FIELDS]
        for row in rows.values_list("notes", *slugs)[:2000]:
            kind = next(k for k, slug in zip(ITEM_FIELDS, row[1:], strict=True) if slug)
            found[(kind, next(s for s in row[1:] if s))] = row[0]
    own = OwnStep.objects.filter(learner=learner)
    if notes != "all":  # a mentor sees the learner's own steps they did not keep private
        own = own.filter(private=False)
    return PlanDocument(
        whose, plan, [sections[i] for i in sorted(sections)], found, list(own[:500]), plan.summary.today
    )


def plan_markdown(document: PlanDocument) -> str:
    summary = document.plan.summary
    lines = [f"# {document.whose} plan", ""]
    lines.append(
        f"- Progress: {summary.overall.complete} of {summary.overall.total} steps ({summary.overall.percent}%)"
    )
    lines.append(f"- Hours left: {summary.remaining_hours} at {summary.hours_per_week} hours a week")
    lines.append(f"- Projected finish: {summary.projected_finish:%d %B %Y}")
    if summary.target_date:
        lines.append(f"- Target date: {summary.target_date:%d %B %Y}")
    for section in document.stages:
        lines += ["", f"## {_md(section.title)}", ""]
        for e in section.steps:
            box = "x" if e.complete else " "
            extra = " (optional)" if not e.scheduled else ""
            lines.append(
                f"- [{box}] **{_md(e.name)}** · {e.kind_label} · {e.hours} h · {e.status_label}{extra}"
            )
            note = document.notes.get((e.kind, e.slug))
            if note:
                lines += ["", *(f"    > {line}" for line in note.splitlines()), ""]
    if document.own_steps:
        lines += ["", "## Steps of my own", ""]
        for step in document.own_steps:
            lines.append(f"- [{'x' if step.status == 'done' else ' '}] {_md(step.title)} · {step.hours} h")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Text as Markdown shows it literally: a name like `*args` stays a name."""
    return "".join("\\" + ch if ch in "\\`*_[]<>#|" else ch for ch in text)


def document_map(plan: SharedPlan) -> str:
    return map_svg(plan_map(plan.entries), href=lambda kind, slug: "#", title="Map of the roadmap")


MAP_RULE = re.compile(r"^\.(edge|is-faded|station|band)|\.map-node|\.map-attach")


@functools.cache
def _map_styles() -> str:
    """The map's rules of the site's stylesheet (visuals.css), its colour variables (app.css) filled
    in: WeasyPrint's SVG renderer reads a <style> inside the SVG, not the page's custom properties."""
    css = Path(settings.BASE_DIR) / "static" / "css"
    variables = dict(re.findall(r"(--[\w-]+):\s*([^;]+);", (css / "app.css").read_text()))
    # Only the rules about the map's own elements, and none for pointer or keyboard states: every rule
    # is matched against each of the map's thousands of elements.
    rules = [
        line
        for line in (css / "visuals.css").read_text().splitlines()
        if MAP_RULE.search(line) and ":" not in line.split("{", 1)[0]
    ]
    text = "\n".join(rules)
    return re.sub(r"var\((--[\w-]+)\)", lambda m: variables.get(m.group(1), "#000"), text)


# Beyond this many steps the PDF leaves the map out (the map page has it): WeasyPrint lays out every
# label of the map, ~10 ms a step, and a document must not keep a worker busy for half a minute.
PDF_MAP_MAX_STEPS = 300


def map_image(plan: SharedPlan) -> str:
    """The map as a data: URI for an <img>. An inline <svg> goes through WeasyPrint's HTML5 parser,
    which took 1.5 of the 4 s of a 150-step plan's PDF; an image goes through its XML parser."""
    svg = document_map(plan).replace(">", f"><style>{_map_styles()}</style>", 1)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def plan_pdf(document: PlanDocument) -> bytes:
    from weasyprint import HTML  # imported when used: it loads pango at import

    plan = document.plan
    image = map_image(plan) if len(plan.entries) <= PDF_MAP_MAX_STEPS else ""
    context = {"document": document, "summary": plan.summary, "map_image": image}
    html = render_to_string("sharing/plan_document.html", context)
    return bytes(HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf())
