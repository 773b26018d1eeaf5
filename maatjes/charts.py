"""Charts for the lead's cockpit as inline SVG, drawn on the server with pygal.

Why the post-processing below: the app's Content-Security-Policy allows no inline script and no
inline style (``script-src 'self'; style-src 'self'``), and pygal puts both into every chart (a
``<script>`` with its configuration, a ``<style>`` with all colours and fonts, ``style=""`` on its
tooltip). A browser would block them, and without its stylesheet a pygal line chart is drawn as
black filled shapes. So pygal does the layout (scales, ticks, labels, legend) and this module
then removes every script, style element, style attribute and comment, and writes the look as
SVG presentation attributes (``fill``, ``stroke``, ``font-size``...), which the policy allows.
The result needs no network, no JavaScript and no stylesheet, and prints as it shows.

Accessibility: the ``<svg>`` has ``role="img"``, an ``aria-label`` with the chart's title, a
``<title>`` and a ``<desc>`` with every figure in words; each bar and point has its own
``<title>`` (the browser shows it on hover, without script). The page shows the same figures as
a table beside the chart, which is what a screen reader user reads.

Phones: the SVG has only a ``viewBox`` and ``width="100%"``, so it scales to the column it is in;
the drawing is 480 units wide with 14-unit labels, so at 375 px the text is still about 10 px.
Colours come from ``PALETTE`` (Okabe-Ito hues, darkened where needed to reach 3:1 against white,
WCAG 1.4.11); lines also differ by dash pattern, so colour is never the only cue (WCAG 1.4.1).
"""

import math
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Sequence

import pygal
from babel.numbers import format_decimal, format_percent
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup
from pygal.style import Style

# pygal appends to ``sys.meta_path`` a finder for its world-map plugins (unused here) that has
# only the legacy ``find_module``: every import that no other finder resolves (an optional
# ``import numpy`` in openpyxl, say) then raises an ImportWarning on Python 3.11, an error under
# the tests' ``filterwarnings = error``. Take it out again.
sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, pygal.PluginImportFixer)]

SVG_NS = "http://www.w3.org/2000/svg"

# Blue, vermillion, bluish green, reddish purple, dark orange, teal, dark grey: every one at
# least 3:1 against white (tests/test_charts.py checks), neighbours far apart in hue.
PALETTE = ("#0072B2", "#D55E00", "#007D5A", "#B0508A", "#A15C00", "#0E7490", "#495057")
DASHES = (None, "8 4", "2 3", "10 3 2 3", "4 4", "12 4", "1 2")
TEXT = "#212529"
MUTED_TEXT = "#495057"
AXIS = "#495057"
GRID = "#ced4da"
BACKGROUND = "#ffffff"
FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif'

WIDTH = 480  # viewBox units; the chart itself is as wide as its column
HEIGHT = 320
BAR_HEIGHT = 36  # per category of a horizontal bar chart
LABEL_SIZE = 14
TITLE_SIZE = 17
LEGEND_SIZE = 14
VALUE_SIZE = 13
MAX_X_LABELS = 7  # labels that fit under a 480-unit plot without overlapping
LINE_KEY = 18  # width of a line's stretch in the legend, long enough to show its dashes
LABEL_CHARS = 22  # longer category labels are cut (the full text is in the bar's title)

_STYLE = Style(
    font_family=FONT,
    background=BACKGROUND,
    plot_background=BACKGROUND,
    foreground=TEXT,
    foreground_strong=TEXT,
    foreground_subtle=MUTED_TEXT,
    colors=PALETTE,
    label_font_size=LABEL_SIZE,
    major_label_font_size=LABEL_SIZE,
    legend_font_size=LEGEND_SIZE,
    title_font_size=TITLE_SIZE,
    value_font_size=VALUE_SIZE,
    value_label_font_size=VALUE_SIZE,
    tooltip_font_size=LABEL_SIZE,
    no_data_font_size=LABEL_SIZE + 4,
)


# Numbers -----------------------------------------------------------------------------------


def _locale() -> str:
    """The user's language in a request; the one forced (``force_locale``) or the default in
    an app context; Dutch without either."""
    return str(get_locale() or "nl")


def _number_formatter(percent: bool) -> Callable[[float | None], str]:
    """Numbers as the page shows them: 1.234 and 12,5 in Dutch, 1,234 and 12.5 in English;
    percentages (values 0 to 100) as "87,5%" / "87.5%"; a missing value as a dash."""
    locale = _locale()

    def formatted(value: float | None) -> str:
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return "—"
        if percent:
            return format_percent(value / 100, format="#,##0.#%", locale=locale)
        return format_decimal(value, format="#,##0.#", locale=locale)

    return formatted


def ticks(low: float, high: float, *, integer: bool, count: int = 5) -> list[float]:
    """About ``count`` round steps (1, 2 or 5 times a power of ten) from ``low`` to past
    ``high``, always including zero: counts get whole-number steps (pygal would show 0.2, 0.4...
    for a count of 3)."""
    low, high = min(low, 0.0), max(high, 0.0)
    if high == low:
        high = low + (1 if integer else 1.0)
    raw = (high - low) / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if integer:
        step = max(1, round(step))
    first = math.floor(low / step + 1e-9)
    last = math.ceil(high / step - 1e-9)
    values = [round(i * step, 10) for i in range(first, last + 1)]
    return [int(v) for v in values] if integer else values


# Rendering ---------------------------------------------------------------------------------


def _legend_columns(series_count: int, longest_name: int) -> int:
    """Legend entries side by side as far as their names fit in 480 units."""
    columns = 1 if longest_name > 22 else 2 if longest_name > 12 else 3
    return min(columns, max(series_count, 1))


def _config(
    title: str, series_count: int, longest_name: int, *, empty: bool = False, **options
) -> dict:
    columns = _legend_columns(series_count, longest_name)
    config = {
        "title": title,
        "style": _STYLE,
        "js": [],
        "css": [],
        "explicit_size": False,
        "disable_xml_declaration": True,
        "width": WIDTH,
        "height": HEIGHT,
        "margin": 8,
        "spacing": 8,
        "show_legend": series_count > 1,
        "legend_at_bottom": True,
        "legend_at_bottom_columns": columns,
        "legend_box_size": 12,
        "truncate_label": LABEL_CHARS,
        "no_data_text": _("No data"),
        "include_x_axis": True,
    }
    config.update(options)
    if empty:
        # Nothing to draw: pygal shows its "no data" text, and fails when given ticks.
        config.pop("y_labels", None)
        config.pop("range", None)
        config.update(show_y_labels=False, show_y_guides=False, show_x_guides=False)
    return config


def _x_label_options(labels: Sequence[str]) -> dict:
    """Few enough labels under the x axis to read on a phone: every n-th one when there are
    many (26 weeks), turned when they are long."""
    options: dict = {}
    if len(labels) > MAX_X_LABELS:
        options["x_labels_major_every"] = math.ceil(len(labels) / MAX_X_LABELS)
        options["show_minor_x_labels"] = False
    shown = min(len(labels), MAX_X_LABELS) or 1
    longest = max((len(label) for label in labels), default=0)
    if min(longest, LABEL_CHARS) * LABEL_SIZE * 0.6 > (WIDTH - 80) / shown:
        options["x_label_rotation"] = 30
    return options


def _classes(element: ET.Element) -> set[str]:
    return set(element.get("class", "").split())


def _serie_index(classes: set[str]) -> int | None:
    for name in classes:
        if name.startswith("color-") and name[6:].isdigit():
            return int(name[6:])
    return None


def _set(element: ET.Element, **attributes: str | float | None) -> None:
    for name, value in attributes.items():
        if value is not None:
            element.set(name.replace("_", "-"), str(value))


def _restyle(
    element: ET.Element,
    context: frozenset[str],
    serie: int | None,
    names: Sequence[str],
    label_bars: bool,
) -> None:
    """Write pygal's stylesheet (pygal/css/*.css and its ``Style``), as far as these charts use
    it, as presentation attributes; drop what only works with pygal's script."""
    for child in list(element):
        tag = child.tag
        classes = _classes(child)
        child.attrib.pop("style", None)
        if tag in ("script", "style", "defs") or "tooltip-overlay" in classes:
            element.remove(child)
            continue
        if tag == "title" and "axis" in context:
            # pygal's hover text on a tick: the tick's position, meaningless on a category axis.
            element.remove(child)
            continue
        if tag == "desc" and element.tag != "svg":
            # pygal's tooltip data (value, position) for its script; the point's <title>
            # written below carries the value instead.
            element.remove(child)
            continue
        child_serie = _serie_index(classes)
        if child_serie is None:
            child_serie = serie
        colour = PALETTE[child_serie % len(PALETTE)] if child_serie is not None else None
        inside = context | classes
        if tag == "rect" and "background" in classes:
            _set(child, fill=BACKGROUND)
        elif tag == "path" and "line" in classes and "axis" in context:
            hidden = ("vertical" in context and "x" in context) or (
                "horizontal" in context and "y" in context
            )
            if "guide" in classes and hidden and "always_show" not in context:
                element.remove(child)
                continue
            if "guide" in classes:
                _set(child, fill="none", stroke=GRID, stroke_width=1)
            else:  # the axis itself, or the zero line of a bar chart
                _set(child, fill="none", stroke=AXIS, stroke_width=1)
        elif tag == "path" and "line" in classes and colour:
            index = child_serie or 0
            _set(
                child,
                fill="none",
                stroke=colour,
                stroke_width=3,
                stroke_linejoin="round",
                stroke_linecap="round",
                stroke_dasharray=DASHES[index % len(DASHES)],
            )
        elif tag == "circle" and "dot" in classes and colour:
            _set(child, fill=colour, stroke=colour, stroke_width=1)
        elif tag == "rect" and "rect" in classes and colour:
            _set(child, fill=colour, stroke=BACKGROUND, stroke_width=1)
        elif tag == "rect" and "legend" in context and colour and "line-graph" in context:
            # A stretch of the series' line (colour and dash) instead of a square, so that the
            # dash tells the lines apart where the colour does not.
            x, y = float(child.get("x", 0)), float(child.get("y", 0))
            width, height = float(child.get("width", 0)), float(child.get("height", 0))
            child.tag = "line"
            child.attrib = {"class": child.get("class", "")}
            _set(
                child,
                x1=f"{x:.2f}",
                x2=f"{x + width:.2f}",
                y1=f"{y + height / 2:.2f}",
                y2=f"{y + height / 2:.2f}",
                stroke=colour,
                stroke_width=3,
                stroke_dasharray=DASHES[(child_serie or 0) % len(DASHES)],
            )
        elif tag == "rect" and "legend" in context and colour:
            _set(child, fill=colour, stroke=colour)
        elif tag == "text":
            _style_text(child, classes, context)
        if "tooltip-trigger" in classes:
            _point_title(child, element, child_serie, names, label_bars)
        _restyle(child, frozenset(inside), child_serie, names, label_bars)


def _style_text(text: ET.Element, classes: set[str], context: frozenset[str]) -> None:
    size, anchor, weight, fill = LABEL_SIZE, None, None, TEXT
    if "title" in classes:
        size, anchor, weight = TITLE_SIZE, "middle", "600"
    elif "legend" in context:
        size = LEGEND_SIZE
    elif "no_data" in classes or "centered" in classes:
        anchor = "middle"
        size = LABEL_SIZE + 4 if "no_data" in classes else VALUE_SIZE
    elif "axis" in context:
        fill = MUTED_TEXT if "major" not in classes else TEXT
        turned = text.get("transform") is not None
        backwards = "backwards" in classes
        if "x" in context:
            anchor = ("end" if backwards else "start") if turned else "middle"
        else:
            anchor = "start" if turned and backwards else "end"
    elif "value" in classes:
        size, anchor = VALUE_SIZE, "middle"
    if text.get("text-anchor"):  # pygal placed it itself (printed values)
        anchor = None
    _set(text, font_size=size, text_anchor=anchor, font_weight=weight, fill=fill)


def _point_title(
    shape: ET.Element,
    parent: ET.Element,
    serie: int | None,
    names: Sequence[str],
    label_bars: bool,
) -> None:
    """A hover text for a bar or point ("Organisation A, week 12: 75%") from the tooltip data
    pygal leaves next to it, before that data is removed; with ``label_bars`` the value is also
    written after the end of a horizontal bar (pygal's own printed values overlap it)."""
    descs = {" ".join(sorted(_classes(d))): (d.text or "") for d in parent if d.tag == "desc"}
    parts = []
    if serie is not None and len(names) > 1 and serie < len(names):
        parts.append(names[serie])
    if descs.get("x_label"):
        parts.append(descs["x_label"])
    text = ", ".join(parts)
    value = descs.get("value", "")
    title = ET.SubElement(shape, "title")
    title.text = f"{text}: {value}" if text else value
    if label_bars and shape.tag == "rect":
        label = ET.SubElement(
            parent,
            "text",
            x=f"{float(shape.get('x', 0)) + float(shape.get('width', 0)) + 5:.2f}",
            y=f"{float(shape.get('y', 0)) + float(shape.get('height', 0)) / 2:.2f}",
            fill=TEXT,
            attrib={"class": "bar-value"},
        )
        _set(label, font_size=VALUE_SIZE, dominant_baseline="central")
        label.text = value


def _description(labels: Sequence[str], series: dict[str, Sequence], formatted: Callable) -> str:
    """Every figure of the chart in words, for the SVG's ``<desc>``."""
    parts = []
    for name, values in series.items():
        figures = "; ".join(
            f"{label}: {formatted(value)}" for label, value in zip(labels, values, strict=False)
        )
        parts.append(f"{name}: {figures}" if len(series) > 1 or name else figures)
    return ". ".join(parts)


def _render(
    chart: pygal.graph.graph.Graph,
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence],
    formatted: Callable[[float | None], str],
    *,
    label_bars: bool = False,
) -> Markup:
    root = ET.fromstring(chart.render(is_unicode=True))  # comments are dropped on parsing
    for element in root.iter():
        # Plain tag names, the namespace written once on the root: ElementTree would otherwise
        # invent "ns0:" prefixes, which HTML does not understand for inline SVG.
        element.tag = element.tag.removeprefix(f"{{{SVG_NS}}}")
    chart_id = root.get("id") or "chart"
    _restyle(root, frozenset(), None, list(series), label_bars)
    for old in root.findall("title") + root.findall("desc"):
        root.remove(old)
    heading = ET.Element("title", id=f"{chart_id}-title")
    heading.text = title
    description = ET.Element("desc", id=f"{chart_id}-desc")
    description.text = _description(labels, series, formatted)
    root.insert(0, description)
    root.insert(0, heading)
    _set(
        root,
        role="img",
        aria_label=title,
        width="100%",
        font_family=FONT,
        fill=TEXT,
        preserveAspectRatio="xMidYMin meet",
    )
    root.set("class", "chart " + root.get("class", ""))
    root.set("xmlns", SVG_NS)
    svg = ET.tostring(root, encoding="unicode")
    return Markup(svg)


def _largest(series: dict[str, Sequence[float | None]], stacked: bool) -> tuple[float, float]:
    columns = list(zip(*series.values(), strict=False)) if series else []
    numbers = [[v for v in column if v is not None] for column in columns]
    if stacked:
        return (
            min((sum(v for v in c if v < 0) for c in numbers), default=0),
            max((sum(v for v in c if v > 0) for c in numbers), default=0),
        )
    flat = [v for column in numbers for v in column]
    return min(flat, default=0), max(flat, default=0)


def _empty(labels: Sequence[str], series: dict[str, Sequence]) -> bool:
    return not labels or all(v is None for values in series.values() for v in values)


def _check(labels: Sequence[str], series: dict[str, Sequence]) -> None:
    for name, values in series.items():
        if len(values) != len(labels):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(labels)} labels")


# Public ------------------------------------------------------------------------------------


def line(
    title: str,
    labels: list[str],
    series: dict[str, list[float | None]],
    *,
    percent: bool = False,
) -> Markup:
    """A line per series over ``labels`` (the weekly rhythm over 26 weeks: one line per
    organisation). ``percent``: the values are percentages from 0 to 100 (as the tables show
    them), the axis runs from 0% to 100%. ``None`` is a gap in the line (a week without
    matches), not a zero."""
    _check(labels, series)
    formatted = _number_formatter(percent)
    longest = max((len(name) for name in series), default=0)
    legend_rows = math.ceil(len(series) / _legend_columns(len(series), longest))
    if len(series) < 2:
        legend_rows = 0
    low, high = _largest(series, stacked=False)
    y_labels = (
        [0, 25, 50, 75, 100]
        if percent and low >= 0 and high <= 100
        else ticks(low, high, integer=False)
    )
    chart = pygal.Line(
        **_config(
            title,
            len(series),
            longest,
            empty=_empty(labels, series),
            allow_interruptions=True,
            legend_box_size=LINE_KEY,
            # pygal takes the legend's rows from the drawing's height: add them, so that the
            # plot keeps its height however many organisations there are.
            height=HEIGHT - 50 + round(1.5 * LINE_KEY) * legend_rows,
            show_dots=True,
            dots_size=2.5,
            y_labels=y_labels,
            range=(y_labels[0], y_labels[-1]),
            value_formatter=formatted,
            formatter=formatted,
            **_x_label_options(labels),
        )
    )
    chart.x_labels = list(labels)
    for name, values in series.items():
        chart.add(name, list(values))
    return _render(chart, title, labels, series, formatted)


def bars(
    title: str,
    labels: list[str],
    series: dict[str, list[int]],
    *,
    stacked: bool = False,
    horizontal: bool = False,
) -> Markup:
    """Counts as bars: one bar per label and series side by side, or ``stacked`` (volunteers by
    caseload per language, matches ended by outcome per quarter); ``horizontal`` for long labels
    or many categories, which a phone shows better one under the other. Bars whose labels are
    too long to stand under them on a phone are drawn horizontally in any case (turned labels
    squeeze the plot to half its width)."""
    _check(labels, series)
    if not horizontal and len(labels) <= 12 and "x_label_rotation" in _x_label_options(labels):
        horizontal = True
    formatted = _number_formatter(False)
    low, high = _largest(series, stacked=stacked)
    integer = all(isinstance(v, int) for values in series.values() for v in values if v)
    y_labels = ticks(low, high, integer=integer)
    kind = {
        (False, False): pygal.Bar,
        (True, False): pygal.StackedBar,
        (False, True): pygal.HorizontalBar,
        (True, True): pygal.HorizontalStackedBar,
    }[(stacked, horizontal)]
    options: dict = {
        "y_labels": y_labels,
        "range": (y_labels[0], y_labels[-1]),
        "value_formatter": formatted,
        "formatter": formatted,
    }
    if horizontal:
        per_bar = BAR_HEIGHT * (1 if stacked else max(1, len(series)) * 0.7)
        legend = 0 if len(series) < 2 else 24 * math.ceil(len(series) / 2)
        options["height"] = max(160, round(100 + legend + per_bar * max(1, len(labels))))
    else:
        options.update(_x_label_options(labels))
    chart = kind(
        **_config(
            title,
            len(series),
            max((len(name) for name in series), default=0),
            empty=_empty(labels, series),
            **options,
        )
    )
    # A horizontal chart draws the first label at the bottom; a list reads from the top.
    order = list(reversed(labels)) if horizontal else list(labels)
    chart.x_labels = order
    for name, values in series.items():
        chart.add(name, list(reversed(values)) if horizontal else list(values))
    return _render(chart, title, labels, series, formatted)


def funnel(title: str, labels: list[str], values: list[int]) -> Markup:
    """The programme's funnel (registered → matched → started → ended) as horizontal bars from
    the top down, each with its count printed at its end."""
    if len(values) != len(labels):
        raise ValueError(f"{len(values)} values for {len(labels)} labels")
    formatted = _number_formatter(False)
    # Room after the longest bar for its count.
    y_labels = ticks(min(values, default=0), max(values, default=0) * 1.15, integer=True)
    chart = pygal.HorizontalBar(
        **_config(
            title,
            1,
            0,
            empty=_empty(labels, {"": values}),
            y_labels=y_labels,
            range=(y_labels[0], y_labels[-1]),
            value_formatter=formatted,
            formatter=formatted,
            height=max(160, 90 + BAR_HEIGHT * max(1, len(labels))),
        )
    )
    chart.x_labels = list(reversed(labels))
    chart.add("", list(reversed(values)))
    return _render(chart, title, labels, {"": values}, formatted, label_bars=True)
