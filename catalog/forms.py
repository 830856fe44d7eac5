"""Forms of the catalog admin: the content import upload."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from catalog.exporting import CSV_MODELS


class ContentImportForm(forms.Form):
    file = forms.FileField(help_text="A pathwise-content/1 JSON file, or a CSV file holding one list.")
    model = forms.ChoiceField(
        label="CSV list",
        required=False,
        choices=[("", "Guess from the file name (e.g. skills.csv)"), *[(m, m) for m in CSV_MODELS]],
        help_text="Only for CSV files.",
    )

    # Measured on PostgreSQL on the shared 2-core box (new records, about 270 per 100 KB): with one
    # query per relation and record, 0.56 MB took 30 s and 2.2 MB 93 s, so the old 20 MB limit could
    # never finish inside gunicorn's 30 s timeout; with relations set per section, 0.28 MB takes
    # 3.7 s, 0.56 MB 5.4 s, 1.1 MB 16 s. 256 KB keeps the worst case (the tiniest records,
    # tests/catalog/test_content_csv_and_commands.py) well inside the timeout. The shipped catalog is 184 KB; bigger
    # files go through manage.py import_content, which has no request timeout.
    MAX_BYTES = 256 * 1024

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is None:
            return data
        name = upload.name or ""
        fmt = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if fmt not in {"json", "csv"}:
            raise ValidationError({"file": "Choose a .json or .csv file."})
        if upload.size > self.MAX_BYTES:
            raise ValidationError(
                {"file": "The file is larger than 256 KB: import it with manage.py import_content."}
            )
        try:
            data["text"] = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError({"file": "The file is not UTF-8 text."}) from None
        data["fmt"] = fmt
        if fmt == "csv" and not data.get("model"):
            stem = name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            if stem not in CSV_MODELS:
                raise ValidationError({"model": "Say which list this CSV file holds."})
            data["model"] = stem
        return data
