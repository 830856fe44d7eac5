"""What a browser would submit for a page's form, unchanged: its inputs, selects and textareas as rendered."""

from __future__ import annotations

from html.parser import HTMLParser


class _FormParser(HTMLParser):
    """Successful controls of the first <form method="post"> (or of the form holding `field`)."""

    def __init__(self, field: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.field = field
        self.forms: list[list[tuple[str, str]]] = []
        self.current: list[tuple[str, str]] | None = None
        self.select: str | None = None
        self.select_values: list[str] = []
        self.select_first: str | None = None
        self.option: dict[str, str] | None = None
        self.textarea: str | None = None
        self.text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form" and a.get("method", "").lower() == "post":
            self.current = []
            self.forms.append(self.current)
        if self.current is None:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.current.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "image", "reset", "file"):
                self.current.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self.select, self.select_values, self.select_first = name, [], None
        elif tag == "option" and self.select is not None:
            self.option = a
            self.text = ""
        elif tag == "textarea" and name:
            self.textarea, self.text = name, ""

    def _close_option(self) -> None:
        if self.option is not None:
            value = self.option.get("value")
            value = self.text.strip() if value is None else value
            if self.select_first is None:
                self.select_first = value
            if "selected" in self.option:
                self.select_values.append(value)
            self.option = None

    def handle_data(self, data: str) -> None:
        self.text += data

    def handle_endtag(self, tag: str) -> None:
        if self.current is None:
            return
        if tag == "option":
            self._close_option()
        elif tag == "select" and self.select is not None:
            self._close_option()
            # A single select with nothing selected submits its first option, as a browser does.
            values = self.select_values or ([self.select_first] if self.select_first is not None else [])
            self.current.extend((self.select, v) for v in values)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.current.append((self.textarea, self.text.removeprefix("\n")))
            self.textarea = None
        elif tag == "form":
            self.current = None


def form_data(html: str, *, field: str | None = None) -> dict[str, list[str]]:
    """The first POST form's submission (the one with a control named `field`, if given)."""
    parser = _FormParser(field)
    parser.feed(html)
    for form in parser.forms:
        if field is None or any(name == field for name, _ in form):
            data: dict[str, list[str]] = {}
            for name, value in form:
                data.setdefault(name, []).append(value)
            return data
    raise AssertionError(f"no POST form with a {field!r} control on the page")
