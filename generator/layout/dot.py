"""Graphviz lays the pictures out; meshdocs draws them.

``dot`` (Debian's ``graphviz`` package) is handed numbers only: box sizes, which frame holds which box,
which box points at which, and the width each frame's header needs. No label, kind or link from a design
ever reaches it, so nothing untrusted is parsed by Graphviz. Its ``-Tjson`` answer gives the centre of
every box, the rectangle of every frame (cluster) and the spline of every arrow; the drawing module turns
those into SVG with its own escaping, icons and links.

The same input gives the same layout (``dot`` is deterministic), and a layout is cached by the hash of the
DOT text and Graphviz's version, so a rebuild runs ``dot`` only for pictures that changed.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Any

PT = 72.0  # Graphviz sizes are inches; its coordinates are points, drawn here as px one to one
DOT_TIMEOUT = 60.0
MAX_DOT_OUTPUT = 64 * 1024 * 1024
HEADER_FONT = 14.0  # the frames' label placeholder: reserves the header's height and width
HEADER_EM = 0.56  # width of the placeholder character in em, as Graphviz measures Times/Helvetica digits
PAD = 8.0
SEP = 0.35 * PT  # nodesep, px
FRAME_MARGIN = 12.0  # cluster margin, px


class LayoutError(Exception):
    """``dot`` is missing, failed or timed out: the picture is left out, the build goes on."""


Endpoint = tuple[str, int]  # ("box", index) or ("frame", index)


@dataclass(frozen=True)
class LayoutInput:
    """A picture as Graphviz needs it: sizes and structure, nothing else."""

    boxes: tuple[tuple[float, float], ...]  # width, height in px of each box
    box_frame: tuple[int | None, ...]  # the frame each box sits in directly
    frames: tuple[tuple[int | None, float], ...]  # each frame's parent frame and its header's width in px
    edges: tuple[tuple[Endpoint, Endpoint], ...]
    width: float = 800.0  # px a row of unconnected boxes and frames may fill before it wraps
    rankdir: str = "TB"


@dataclass(frozen=True)
class Layout:
    """Where everything goes, in px with y pointing down: box centres, frame rectangles, arrow curves."""

    width: float
    height: float
    boxes: tuple[tuple[float, float], ...]
    frames: tuple[tuple[float, float, float, float], ...]  # x, y, width, height
    edges: tuple[tuple[tuple[float, float], ...], ...]  # start, control points..., end; then the arrow tip

    def to_json(self) -> str:
        return json.dumps(
            [self.width, self.height, self.boxes, self.frames, self.edges], separators=(",", ":")
        )

    @classmethod
    def from_json(cls, text: str) -> Layout:
        width, height, boxes, frames, edges = json.loads(text)
        return cls(
            width=width,
            height=height,
            boxes=tuple((x, y) for x, y in boxes),
            frames=tuple((x, y, w, h) for x, y, w, h in frames),
            edges=tuple(tuple((x, y) for x, y in points) for points in edges),
        )


@functools.cache
def graphviz_version() -> str:
    """``dot -V`` (empty when there is no ``dot``): part of every layout's cache key."""
    program = shutil.which("dot")
    if program is None:
        return ""
    try:
        proc = subprocess.run([program, "-V"], capture_output=True, text=True, timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return ""
    return (proc.stderr or proc.stdout).strip()


@dataclass
class LayoutEngine:
    """Runs ``dot``, with the layouts of the last build (by key) to take instead when nothing changed."""

    previous: dict[str, str] = field(default_factory=dict)
    used: dict[str, str] = field(default_factory=dict)  # this build's, for the next one
    runs: int = 0  # how many times dot actually ran

    @property
    def available(self) -> bool:
        return bool(graphviz_version())

    def layout(self, request: LayoutInput) -> Layout:
        source = dot_source(request)
        key = hashlib.sha256(f"{graphviz_version()}\n{source}".encode()).hexdigest()
        cached = self.previous.get(key) or self.used.get(key)
        if cached is not None:
            try:
                layout = Layout.from_json(cached)
            except (ValueError, TypeError):
                layout = None
            if layout is not None and len(layout.boxes) == len(request.boxes):
                self.used[key] = cached
                return layout
        layout = _parse(_run_dot(source), request)
        self.runs += 1
        self.used[key] = layout.to_json()
        return layout


def dot_source(request: LayoutInput) -> str:
    """The DOT text for ``request``: ids ``b<i>``/``cluster_f<j>``, sizes in inches, no text at all."""
    lines = [
        "digraph G {",
        f"graph [rankdir={request.rankdir}, compound=true, nodesep={_n(SEP / PT)}, ranksep=0.55, "
        f'fontname="Helvetica", fontsize={_n(HEADER_FONT)}, labeljust=l, labelloc=t, margin=12, '
        "outputorder=edgesfirst];",
        'node [shape=box, fixedsize=true, label=""];',
        "edge [arrowsize=0.8];",
    ]
    children: dict[int | None, list[str]] = {}
    for i, frame in enumerate(request.box_frame):
        children.setdefault(frame, []).append(f"b{i}")
    for j, (parent, _width) in enumerate(request.frames):
        children.setdefault(parent, []).append(f"f{j}")

    def emit(frame: int | None, indent: str) -> None:
        for name in children.get(frame, []):
            if name.startswith("b"):
                w, h = request.boxes[int(name[1:])]
                lines.append(f"{indent}{name} [width={_n(w / PT)}, height={_n(h / PT)}];")
            else:
                j = int(name[1:])
                header = request.frames[j][1]
                chars = max(1, math.ceil(header / (HEADER_FONT * HEADER_EM)))
                lines.append(f'{indent}subgraph cluster_{name} {{ label="{"0" * chars}";')
                emit(j, indent + "  ")
                lines.append(f"{indent}}}")

    emit(None, "")
    anchors = _anchors(request)
    for above, below in _wrapping(request, children):
        attrs = ["style=invis", "weight=0"]
        attrs += [f"ltail=cluster_{above}"] if above.startswith("f") else []
        attrs += [f"lhead=cluster_{below}"] if below.startswith("f") else []
        lines.append(f"{_name(above, anchors)} -> {_name(below, anchors)} [{', '.join(attrs)}];")
    for source, target in request.edges:
        attrs = []
        tail, head = _endpoint(source, anchors), _endpoint(target, anchors)
        if source[0] == "frame":
            attrs.append(f"ltail=cluster_f{source[1]}")
        if target[0] == "frame":
            attrs.append(f"lhead=cluster_f{target[1]}")
        lines.append(f"{tail} -> {head}" + (f" [{', '.join(attrs)}]" if attrs else "") + ";")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _wrapping(request: LayoutInput, children: dict[int | None, list[str]]) -> list[tuple[str, str]]:
    """Invisible edges that stack what no arrow places, so a frame of many things wraps into rows.

    Without them ``dot`` puts every unconnected box and frame of a frame on one rank: a namespace of
    thirty components would be thirty boxes wide. Rows hold as many as fit :attr:`LayoutInput.width`.
    """
    touched_boxes = {i for a, b in request.edges for kind, i in (a, b) if kind == "box"}
    touched_frames = {i for a, b in request.edges for kind, i in (a, b) if kind == "frame"}
    busy: dict[str, bool] = {}
    widths: dict[str, float] = {}

    def is_busy(name: str) -> bool:
        if name not in busy:
            index = int(name[1:])
            if name.startswith("b"):
                busy[name] = index in touched_boxes
            else:
                busy[name] = index in touched_frames or any(is_busy(c) for c in children.get(index, []))
        return busy[name]

    def width(name: str) -> float:
        if name not in widths:
            index = int(name[1:])
            if name.startswith("b"):
                widths[name] = request.boxes[index][0]
            else:
                inner = children.get(index, [])
                per_row = _per_row([width(c) for c in inner], request.width)
                rows = [inner[k : k + per_row] for k in range(0, len(inner), per_row)] or [[]]
                content = max(sum(width(c) + SEP for c in row) for row in rows)
                widths[name] = max(request.frames[index][1], content) + 2 * FRAME_MARGIN
        return widths[name]

    pairs: list[tuple[str, str]] = []
    for container in sorted(children, key=lambda k: -1 if k is None else k):
        names = children[container]
        loose = [n for n in names if not is_busy(n)]
        per_row = _per_row([width(n) for n in names], request.width)
        pairs += list(zip(loose, loose[per_row:], strict=False))
    return pairs


def _per_row(widths: list[float], target: float) -> int:
    if not widths:
        return 1
    average = sum(widths) / len(widths) + SEP
    return max(1, int((target + SEP) // average))


def _name(name: str, anchors: dict[int, int]) -> str:
    return f"b{anchors[int(name[1:])]}" if name.startswith("f") else name


def _anchors(request: LayoutInput) -> dict[int, int]:
    """A box inside each frame (its first, depth first): where an arrow to the frame is attached."""
    first: dict[int, int] = {}
    for i, frame in enumerate(request.box_frame):
        while frame is not None and frame not in first:
            first[frame] = i
            frame = request.frames[frame][0]
    return first


def _endpoint(end: Endpoint, anchors: dict[int, int]) -> str:
    kind, index = end
    return f"b{anchors[index]}" if kind == "frame" else f"b{index}"


def _run_dot(source: str) -> dict[str, Any]:
    program = shutil.which("dot")
    if program is None:
        raise LayoutError("Graphviz is not installed: no 'dot' on PATH (Debian/Ubuntu: apt install graphviz)")
    try:
        proc = subprocess.run(
            [program, "-Tjson"], input=source.encode(), capture_output=True, timeout=DOT_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        raise LayoutError(f"Graphviz took longer than {DOT_TIMEOUT:.0f} s to lay the picture out") from None
    except OSError as exc:
        raise LayoutError(f"cannot run Graphviz's dot: {exc}") from None
    if proc.returncode != 0 or len(proc.stdout) > MAX_DOT_OUTPUT:
        first = proc.stderr.decode("utf-8", "replace").strip().splitlines()[:1]
        raise LayoutError(f"Graphviz's dot failed: {first[0] if first else f'exit {proc.returncode}'}")
    try:
        data = json.loads(proc.stdout)
    except ValueError as exc:
        raise LayoutError(f"unreadable answer from Graphviz's dot: {exc}") from None
    if not isinstance(data, dict):
        raise LayoutError("unreadable answer from Graphviz's dot")
    return data


def _floats(text: str) -> list[float]:
    return [float(v) for v in text.replace(",", " ").split()]


def _parse(data: dict[str, Any], request: LayoutInput) -> Layout:
    """Graphviz's points (y up, origin bottom left) to px (y down), with a small margin all round."""
    try:
        _x0, _y0, right, top = _floats(data["bb"])
        boxes: dict[int, tuple[float, float]] = {}
        frames: dict[int, tuple[float, float, float, float]] = {}
        gvid: dict[int, int] = {}
        for obj in data.get("objects", []):
            name = str(obj.get("name", ""))
            if name.startswith("b") and "pos" in obj:
                x, y = _floats(obj["pos"])
                boxes[int(name[1:])] = (x + PAD, top - y + PAD)
                gvid[int(obj["_gvid"])] = int(name[1:])
            elif name.startswith("cluster_f") and "bb" in obj:
                llx, lly, urx, ury = _floats(obj["bb"])
                frames[int(name[len("cluster_f") :])] = (llx + PAD, top - ury + PAD, urx - llx, ury - lly)
        edges: list[tuple[tuple[float, float], ...]] = []
        visible = [e for e in data.get("edges", []) if e.get("style") != "invis"]
        for edge in visible:
            points, tip = _spline(str(edge.get("pos", "")))
            flipped = tuple((x + PAD, top - y + PAD) for x, y in points)
            if tip is not None:
                flipped += ((tip[0] + PAD, top - tip[1] + PAD),)
            edges.append(flipped)
    except (KeyError, ValueError, TypeError) as exc:
        raise LayoutError(f"unreadable answer from Graphviz's dot: {exc}") from None
    if len(boxes) != len(request.boxes) or len(frames) != len(request.frames):
        raise LayoutError("Graphviz's dot left boxes out of the picture")
    if len(edges) != len(request.edges):
        raise LayoutError("Graphviz's dot left arrows out of the picture")
    return Layout(
        width=right + 2 * PAD,
        height=top + 2 * PAD,
        boxes=tuple(boxes[i] for i in range(len(request.boxes))),
        frames=tuple(frames[j] for j in range(len(request.frames))),
        edges=tuple(edges),
    )


def _spline(pos: str) -> tuple[list[tuple[float, float]], tuple[float, float] | None]:
    """``e,x,y p0 c1 c2 p1 …``: the B-spline's points, and the arrow tip when there is one."""
    tip = None
    points = []
    for part in pos.split():
        if part.startswith("e,"):
            x, y = _floats(part[2:])
            tip = (x, y)
        elif part.startswith("s,"):
            continue
        else:
            x, y = _floats(part)
            points.append((x, y))
    if len(points) < 4 or (len(points) - 1) % 3:
        raise ValueError(f"a spline of {len(points)} points")
    return points, tip


def _n(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return text or "0"
