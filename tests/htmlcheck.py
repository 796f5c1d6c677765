"""What a browser would treat as live markup in a page: elements and attributes, not text."""

from __future__ import annotations

from html.parser import HTMLParser


class LiveMarkup(HTMLParser):
    """Collects event handlers, javascript: URLs, injected elements and script bodies of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…>")
            if (
                name in ("href", "src", "action", "formaction", "xlink:href")
                and value
                and (
                    value.strip()
                    .lower()
                    .replace("\t", "")
                    .replace("\n", "")
                    .startswith(("javascript:", "vbscript:"))
                )
            ):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag in ("iframe", "object", "embed", "foreignobject", "base"):
            self.problems.append(f"<{tag}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append("<img src=x>")
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and "alert(" in data:
            self.problems.append(f"script body {data[:60]!r}")


def live_markup(html_text: str) -> list[str]:
    parser = LiveMarkup()
    parser.feed(html_text)
    parser.close()
    return parser.problems
