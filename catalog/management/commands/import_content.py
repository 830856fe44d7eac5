"""`manage.py import_content <path>`: load a content file (JSON, or CSV for one flat list)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from catalog.exporting import CSV_MODELS
from catalog.importing import ContentImportError, content_import_text


class Command(BaseCommand):
    help = "Import catalog content (upsert by slug, all or nothing) from a JSON or CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="A .json content file, or a .csv flat list.")
        parser.add_argument(
            "--model",
            choices=CSV_MODELS,
            help="Which list a CSV file holds (default: guessed from the file name, e.g. skills.csv).",
        )

    def handle(self, *args: Any, path: str, model: str | None, **options: Any) -> None:
        file = Path(path)
        fmt = file.suffix.lower().lstrip(".")
        if fmt not in {"json", "csv"}:
            raise CommandError(f"{path}: expected a .json or .csv file.")
        if fmt == "csv" and model is None:
            model = file.stem if file.stem in CSV_MODELS else None
            if model is None:
                raise CommandError(
                    f"{path}: say which list the CSV holds with --model ({', '.join(CSV_MODELS)})."
                )
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(f"{path}: cannot read the file: {exc}") from None
        try:
            result = content_import_text(text=text, fmt=fmt, model=model)
        except ContentImportError as exc:
            raise CommandError(f"{path}: nothing imported.\n" + "\n".join(exc.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Imported {path}: {result.summary()}."))
