"""`python manage.py job_skills FILE [--json]`: the skills a job ad asks for, as the Job ads page finds them."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from jobs.matching import analyse_ad
from jobs.validation import AdTextError, clean_ad_text


class Command(BaseCommand):
    help = "Print the catalog skills a job ad asks for (FILE, or - for standard input)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="a text file holding the ad, or - to read standard input")
        parser.add_argument("--json", action="store_true", help="print a JSON list of objects")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["file"] == "-":
                raw = sys.stdin.buffer.read()
            else:
                with open(options["file"], "rb") as handle:
                    raw = handle.read()
        except OSError as error:
            raise CommandError(f"Cannot read {options['file']}: {error.strerror}.") from error
        try:
            text = clean_ad_text(raw.decode("utf-8", errors="replace"))
        except AdTextError as error:
            raise CommandError(str(error)) from error
        matches = analyse_ad(text)
        if options["json"]:
            rows = [
                {
                    "slug": m.slug,
                    "name": m.name,
                    "required": m.required,
                    "spans": [[start, end] for start, end in m.spans],
                    "texts": [text[start:end] for start, end in m.spans],
                }
                for m in matches
            ]
            self.stdout.write(json.dumps(rows, indent=2, ensure_ascii=False))
            return
        if not matches:
            self.stdout.write("We found no skills we know in this ad.")
        for m in matches:
            self.stdout.write(f"{m.slug}\t{'required' if m.required else 'nice to have'}\t{m.name}")
