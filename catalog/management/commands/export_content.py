"""`manage.py export_content`: write the catalog as a JSON content file or one CSV flat list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.exporting import CSV_MODELS, content_export_csv, content_export_json


class Command(BaseCommand):
    help = "Export catalog content as JSON (everything) or CSV (one flat list, with --model)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--format", choices=["json", "csv"], default="json", dest="fmt")
        parser.add_argument("--model", choices=CSV_MODELS, help="The list to export as CSV.")
        parser.add_argument("-o", "--output", help="Write to this file instead of standard output.")

    def handle(self, *args: Any, fmt: str, model: str | None, output: str | None, **options: Any) -> None:
        if fmt == "csv":
            if model is None:
                raise CommandError(f"--format csv needs --model ({', '.join(CSV_MODELS)}).")
            text = content_export_csv(model=model)
        else:
            if model is not None:
                raise CommandError("--model only applies to --format csv; JSON holds everything.")
            text = content_export_json()
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            Path(output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise CommandError(f"{output}: cannot write the file: {exc}") from None
        self.stderr.write(f"Wrote {output}.")
