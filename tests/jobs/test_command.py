"""`manage.py job_skills FILE [--json]` prints what the page finds."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("shipped")]

AD = "Requirements:\n- Python and torch\n\nNice to have:\n- k8s\n\nNo Java required."


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("job_skills", *args, stdout=out)
    return out.getvalue()


def test_json_lists_slug_name_required_and_spans(tmp_path: Path) -> None:
    path = tmp_path / "ad.txt"
    path.write_text(AD, encoding="utf-8")
    rows = json.loads(run(str(path), "--json"))
    assert [(r["slug"], r["required"]) for r in rows] == [
        ("python", True),
        ("pytorch", True),
        ("kubernetes", False),
    ]
    torch = rows[1]
    assert torch["name"] == "PyTorch"
    assert [AD[a:b] for a, b in torch["spans"]] == ["torch"]


def test_reads_standard_input_with_a_dash(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(AD.encode())))
    assert run("-").splitlines()[0].startswith("python\trequired")


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "Paste the text"), (b"\x00\x01binary", "binary"), (b"x" * 20_001, "at most 20,000")],
)
def test_bad_input_is_refused_with_a_message(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "ad.txt"
    path.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(path))


def test_a_missing_file_is_a_clear_error() -> None:
    with pytest.raises(CommandError, match="Cannot read"):
        run("/nonexistent/ad.txt")
