"""What a chart's marks say, and where they are drawn: the data the static edition's script
(assets/js/marks.js) shows on tap, hover and keyboard, made at build time.

A mark's text is its trace's hover template, filled in from the same figure the picture was drawn
from, with the page's own number formats (fmt.number: grouped digits, △ for minus in Japanese),
so it reads as the app's hover label does. Nothing is read back out of the drawn text: the SVG
gives only where each mark lies (a bar's rectangle, a marker's centre, a country's outline), and
the i-th drawn point of a trace is its i-th plotted value. Where the counts differ the build
fails rather than put one country's figure on another.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

from . import fmt

SVG_NS = "{http://www.w3.org/2000/svg}"
HIT = 6  # a marker's radius for a finger or a pointer, in the picture's pixels, at the least
_TRANSLATE = re.compile(r"translate\(\s*([-\d.e]+)[ ,]+([-\d.e]+)\s*\)")
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:e-?\d+)?")
_FIELD = re.compile(r"%\{([a-z]+)(?::([^}]*))?\}")
_D3 = re.compile(r"^(\+)?(,)?(?:\.(\d+))?f$")
_KINDS = {"bars": ("bar", "waterfall"), "scatter": ("scatter",), "scattergeo": ("scattergeo",),
          "choropleth": ("choropleth",)}


def _classes(el) -> list[str]:
    return (el.get("class") or "").split()


def _drawn(svg: bytes) -> list[dict]:
    """Each trace group of the SVG, in document order: its kind, subplot and drawn points, each
    point as an outline path in the picture's coordinates."""
    root = ET.fromstring(svg)
    out: list[dict] = []

    def walk(el, dx: float, dy: float, subplot: str | None):
        m = _TRANSLATE.search(el.get("transform") or "")
        if m and not _classes(el)[:1] == ["point"]:
            dx, dy = dx + float(m.group(1)), dy + float(m.group(2))
        cls = _classes(el)
        if el.tag == SVG_NS + "g" and cls and re.fullmatch(r"x\d*y\d*", cls[0]):
            subplot = cls[0]
        if el.tag == SVG_NS + "g" and cls[:1] == ["trace"] and len(cls) > 1 and cls[1] in _KINDS:
            out.append({"kind": cls[1], "subplot": subplot or "geo",
                        "points": _points(el, cls[1], dx, dy)})
            return
        for child in el:
            walk(child, dx, dy, subplot)

    walk(root, 0.0, 0.0, None)
    return out


def _shift(d: str, dx: float, dy: float) -> list[tuple[float, float]] | None:
    """The corners of an absolute M/L/H/V/Z path, moved by (dx, dy); None for an empty one."""
    pts, x, y = [], 0.0, 0.0
    for cmd, args in re.findall(r"([MLHVZ])([^MLHVZ]*)", d):
        nums = [float(n) for n in _NUMBER.findall(args)]
        if cmd in "ML":
            for i in range(0, len(nums) - 1, 2):
                x, y = nums[i], nums[i + 1]
                pts.append((x + dx, y + dy, cmd if i == 0 else "L"))
        elif cmd == "H":
            x = nums[-1]
            pts.append((x + dx, y + dy, "L"))
        elif cmd == "V":
            y = nums[-1]
            pts.append((x + dx, y + dy, "L"))
        elif cmd == "Z":
            pts.append((0, 0, "Z"))
    corners = [(a, b) for a, b, c in pts if c != "Z"]
    if len(corners) < 2 or len({(round(a, 2), round(b, 2)) for a, b in corners}) < 2:
        return None
    return pts


def _path(pts) -> str:
    """A path rounded to whole pixels, repeated points dropped: a country's outline at the
    size it is drawn, a fraction of the bytes."""
    out, last = [], None
    for x, y, c in pts:
        if c == "Z":
            out.append("Z")
            last = None
            continue
        p = (round(x), round(y))
        if c == "L" and p == last:
            continue
        out.append(f"{c}{p[0]},{p[1]}")
        last = p
    return "".join(out)


def _points(group, kind: str, dx: float, dy: float) -> list[str | None]:
    """One outline per drawn point (None: a bar of no length, drawn as M0,0Z)."""
    found = []
    if kind == "bars":
        for point in group.iter(SVG_NS + "g"):
            path = point.find(SVG_NS + "path") if "point" in _classes(point) else None
            if path is not None:
                pts = _shift(path.get("d", ""), dx, dy)
                found.append(_path(pts) if pts else None)
        return found
    for el in group.iter(SVG_NS + "path"):
        cls = _classes(el)
        if kind == "choropleth" and "choroplethlocation" in cls:
            pts = _shift(el.get("d", ""), dx, dy)
            found.append(_path(pts) if pts else None)
        elif kind in ("scatter", "scattergeo") and "point" in cls:
            m = _TRANSLATE.search(el.get("transform") or "")
            if m:
                cx, cy = float(m.group(1)) + dx, float(m.group(2)) + dy
                found.append(_circle(cx, cy, HIT))
    return found


def _circle(cx: float, cy: float, r: float) -> str:
    return (f"M{cx - r:.0f},{cy:.0f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0Z")


def _plotted(trace: dict) -> list[int]:
    """The indices of a trace's values that Plotly draws a point for."""
    kind = trace["type"]
    if kind == "choropleth":
        return [i for i, z in enumerate(trace.get("z") or []) if z is not None]
    if kind == "scattergeo":
        return [i for i, (a, b) in enumerate(zip(trace.get("lat") or [], trace.get("lon") or []))
                if a is not None and b is not None]
    if kind == "scatter" and "markers" not in (trace.get("mode") or "lines+markers"):
        return []
    n = max(len(trace.get("x") or []), len(trace.get("y") or []))
    return [i for i in range(n) if _value(trace, "x", i) is not None
            and _value(trace, "y", i) is not None] if kind == "scatter" else list(range(n))


def _value(trace: dict, var: str, i: int):
    value = trace.get(var)
    if value is None and var == "hovertext":
        value = trace.get("text")
    if isinstance(value, list):
        return value[i] if i < len(value) else None
    return value


def _number(value, spec: str | None, lang: str) -> str:
    if value is None:
        return "－" if lang == "ja" else "–"
    if not isinstance(value, (int, float)) or isinstance(value, bool):
        return str(value)
    if not spec:
        if float(value).is_integer() and 1900 <= value <= 2100:
            return str(int(value))  # a year on a numeric axis (1991), not an amount
        places = 0 if float(value).is_integer() else 1
        return fmt.number(value, lang, places)
    m = _D3.match(spec)
    if not m:
        raise ValueError(f"no format for the hover placeholder :{spec}")
    return fmt.number(value, lang, int(m.group(3) or 0), signed=bool(m.group(1)))


def text(trace: dict, i: int, layout: dict, lang: str, panel: str | None = None) -> str:
    """One point's label, as its trace's hover template writes it: lines, the first the name."""
    template = trace.get("hovertemplate")
    if not template:
        name = _value(trace, "hovertext", i) or trace.get("name") or ""
        template = ("%{y}: %{x}" if trace.get("orientation") == "h" else "%{x}: %{y}") \
            if trace["type"] in ("bar", "waterfall", "scatter") else str(name)
    extra = re.search(r"<extra>(.*?)</extra>", template, flags=re.S)
    body = template.replace(extra.group(0), "") if extra else template

    def fill(m):
        var, spec = m.group(1), m.group(2)
        value = _value(trace, var, i)
        if var in ("x", "y") and not spec:
            axis = layout.get(trace.get(var + "axis", var).replace(var, var + "axis", 1), {})
            spec = axis.get("hoverformat") or axis.get("tickformat")
            if isinstance(value, str):
                return value
        if var in ("text", "hovertext", "customdata"):
            return "" if value is None else str(value)
        return _number(value, spec, lang)

    filled = _FIELD.sub(fill, body)
    lines = [html.unescape(re.sub(r"<[^>]+>", "", line)).strip()
             for line in re.split(r"<br\s*/?>", filled)]
    if extra and extra.group(1).strip():
        lines.append(html.unescape(re.sub(r"<[^>]+>", "", extra.group(1))).strip())
    if panel:
        lines.insert(0, panel)
    # Plotly's template writes ¥-112.4 billion; the house writes the sign first.
    lines = [line.replace("¥-", "-¥") for line in lines]
    return "\n".join(line for line in lines if line)


def _panels(spec: dict) -> dict[str, str]:
    """A small-multiples figure's panel titles by subplot (xy, x2y2, ...), from its
    annotations, when there is one per panel (as subplot_layout writes them)."""
    subplots = []
    for t in spec["data"]:
        key = t.get("xaxis", "x") + t.get("yaxis", "y")
        if key not in subplots:
            subplots.append(key)
    notes = [a.get("text") for a in spec["layout"].get("annotations", [])]
    if len(subplots) < 2 or len(notes) != len(subplots):
        return {}
    return {k: html.unescape(n if isinstance(n, str) else (n or {}).get("text", ""))
            for k, n in zip(subplots, notes)}


def marks(spec: dict, svg: bytes, lang: str) -> dict | None:
    """{"w", "h", "m": [{"t": text, "d": outline}, ...]} for a picture drawn from `spec`, the
    marks in reading order; None for a chart with no marks to show (a line without markers)."""
    root = ET.fromstring(svg)
    width, height = float(root.get("width")), float(root.get("height"))
    panels = _panels(spec)
    groups = _drawn(svg)
    pools: dict[tuple[str, str], list[int]] = {}
    for index, t in enumerate(spec["data"]):
        kind = next((k for k, types in _KINDS.items() if t["type"] in types), None)
        sub = "geo" if kind in ("choropleth", "scattergeo") else \
            t.get("xaxis", "x") + t.get("yaxis", "y")
        if kind:
            pools.setdefault((kind, sub), []).append(index)
    subplots = sorted({g["subplot"] for g in groups},
                      key=lambda k: [int(n or 1) for n in re.findall(r"[xy](\d*)", k)])
    out = []
    for group in groups:
        sub = group["subplot"]
        pool = pools.get((group["kind"], sub))
        if not pool:
            raise ValueError(f"a drawn {group['kind']} trace in {sub} has no trace in the figure")
        trace = spec["data"][pool.pop(0)]
        plotted = _plotted(trace)
        if trace["type"] == "scatter" and not plotted:
            continue
        if len(plotted) != len(group["points"]):
            raise ValueError(f"{trace['type']} {trace.get('name')!r}: {len(plotted)} values, "
                             f"{len(group['points'])} drawn")
        cartesian = trace["type"] in ("bar", "waterfall", "scatter")
        across = 1 if trace.get("orientation") == "h" else 0
        for i, d in zip(plotted, group["points"]):
            if d:
                box = _box(d)
                # Reading order on axes: panel by panel, left to right (top to bottom for
                # horizontal bars), then down a stack; a map keeps its figure's order.
                # A map's markers (projects, offices) come before the countries under them.
                order = (subplots.index(sub), box[across], box[1 - across]) if cartesian \
                    else (trace["type"] != "scattergeo",)
                out.append((order, len(out), {"t": text(trace, i, spec["layout"], lang,
                                                        panels.get(sub)), "d": d, "b": box}))
    if not out:
        return None
    return {"w": round(width), "h": round(height), "m": [mk for *_, mk in sorted(out)]}


def _box(d: str) -> list[int]:
    """A mark's bounding box [x, y, width, height] in whole pixels (a marker's from its circle:
    its first point is the circle's left end, then the arc's radius)."""
    nums = [float(n) for n in _NUMBER.findall(d)]
    if "a" in d:
        r = nums[2]
        return [round(nums[0]), round(nums[1] - r), round(2 * r), round(2 * r)]
    xs, ys = nums[0::2], nums[1::2]
    return [round(min(xs)), round(min(ys)), round(max(xs) - min(xs)), round(max(ys) - min(ys))]
