"""Build the front-end files from the npm packages pinned in package-lock.json.

``python -m helpdesk.assets`` (run by ``make setup``) copies the design system (Tabler,
Bootstrap 5 based), htmx, Chart.js and axe-core into ``static/vendor/`` and builds one
SVG sprite of the icons the templates use (``{% icon "name" %}``), so a page loads one
small file instead of the whole icon set. Nothing here imports Django.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path
from xml.etree import ElementTree

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
ICONS = NODE / "@tabler" / "icons" / "icons"
COPIES = {
    "@tabler/core/dist/css/tabler.min.css": "tabler.min.css",
    "@tabler/core/dist/js/tabler.min.js": "tabler.min.js",
    "htmx.org/dist/htmx.min.js": "htmx.min.js",
    "chart.js/dist/chart.umd.min.js": "chart.umd.min.js",
    "axe-core/axe.min.js": "axe.min.js",
}
# {% icon "name" %} and {% icon "name" filled=True %}; also icon="name" passed to includes.
ICON_USE = re.compile(r"""(?:\{%\s*icon\s+|\bicon=)["']([a-z0-9-]+)["'](\s+filled=True)?""")
# Icons chosen in Python rather than in a template (badges for channels and statuses);
# a name ending in -filled is that icon's filled style.
ICONS_IN_CODE = re.compile(r"""\bICON\w*\s*=\s*\{([^}]*)\}""", re.S)
SVG = "http://www.w3.org/2000/svg"


def template_files() -> list[Path]:
    return sorted(
        path
        for path in ROOT.glob("**/templates/**/*.html")
        if not {"node_modules", ".venv", "staticfiles"} & set(path.parts)
    )


def icons_used() -> set[tuple[str, str]]:
    """Every (style, name) pair the templates and the badge tags ask for."""
    used: set[tuple[str, str]] = set()
    for path in template_files():
        for name, filled in ICON_USE.findall(path.read_text()):
            used.add(("filled" if filled else "outline", name))
    for block in ICONS_IN_CODE.findall((ROOT / "core" / "templatetags" / "ui.py").read_text()):
        for name in re.findall(r""":\s*["']([a-z0-9-]+)["']""", block):
            # "circle-filled" names the filled style of "circle" (its id in the sprite).
            base = name.removesuffix("-filled")
            used.add(("filled", base) if base != name else ("outline", name))
    return used


def sprite(used: set[tuple[str, str]]) -> str:
    """One SVG of <symbol>s with ids ``name`` (outline) and ``name-filled``."""
    ElementTree.register_namespace("", SVG)
    root = ElementTree.Element(f"{{{SVG}}}svg")
    for style, name in sorted(used):
        source = ICONS / style / f"{name}.svg"
        if not source.exists():
            raise SystemExit(f"error: no {style} icon called {name!r} in @tabler/icons")
        icon = ElementTree.parse(source).getroot()  # noqa: S314 - the pinned icon package
        symbol = ElementTree.SubElement(
            root, f"{{{SVG}}}symbol", id=name if style == "outline" else f"{name}-filled",
            viewBox=icon.get("viewBox", "0 0 24 24"),
        )  # fmt: skip
        for attribute in ("fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin"):
            if icon.get(attribute):
                symbol.set(attribute, icon.get(attribute))
        symbol.extend(child for child in icon if child.get("stroke") != "none")
    return ElementTree.tostring(root, encoding="unicode")


def build(target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for source, name in COPIES.items():
        shutil.copyfile(NODE / source, target / name)
        # The source map the file names: the static files' manifest needs it to exist.
        source_map = NODE / f"{source}.map"
        if source_map.exists():
            shutil.copyfile(source_map, target / f"{name}.map")
    (target / "icons.svg").write_text(sprite(icons_used()))


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "static" / "vendor")
