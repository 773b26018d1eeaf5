"""The cockpit's charts: inline SVG that works under the app's Content-Security-Policy (no
script, no inline style), needs no network, tells a screen reader its title and carries its
figures."""

import math
import re
import xml.etree.ElementTree as ET

import pytest
from flask_babel import force_locale
from markupsafe import Markup

from maatjes import charts

SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>alert("x")</script> & "quotes"'

WEEKS = [f"w{number}" for number in range(1, 27)]
RHYTHM = {
    "Bureau Noord": [50.0 + week for week in range(26)],
    HOSTILE: [None, None, None] + [80.0 - week * 1.5 for week in range(23)],
}


def _all_charts() -> list[tuple[str, Markup]]:
    return [
        ("Contact rhythm", charts.line("Contact rhythm", WEEKS, RHYTHM, percent=True)),
        (
            "Caseload",
            charts.bars(
                "Caseload",
                ["0 residents", "1 resident", "2 residents"],
                {"Dutch": [3, 5, 2], "Arabic": [1, 0, 4]},
                stacked=True,
            ),
        ),
        (
            "Outcomes",
            charts.bars(
                "Outcomes",
                ["Completed", HOSTILE, "Referred"],
                {"Q1": [3, 5, 2], "Q2": [1, 0, 4]},
                horizontal=True,
            ),
        ),
        ("Side by side", charts.bars("Side by side", ["a", "b"], {"x": [1, 2], "y": [3, 4]})),
        (
            "Funnel",
            charts.funnel(
                "Funnel", ["Registered", "Matched", "Started", "Ended"], [120, 80, 70, 3]
            ),
        ),
    ]


def _parse(markup: Markup) -> ET.Element:
    return ET.fromstring(str(markup))


def test_charts_are_svg_elements_without_script_style_or_network():
    for title, markup in _all_charts():
        assert isinstance(markup, Markup)
        text = str(markup)
        assert text.startswith("<svg ") and "<?xml" not in text, title
        root = _parse(markup)
        assert root.tag == f"{SVG}svg"
        tags = {element.tag.removeprefix(SVG) for element in root.iter()}
        # The Content-Security-Policy blocks inline script and style: none may be relied on.
        assert not tags & {"script", "style", "foreignObject", "image", "a", "use"}, title
        assert all("style" not in element.attrib for element in root.iter()), title
        assert all(
            not name.startswith("on") for element in root.iter() for name in element.attrib
        ), title
        assert "<script" not in text.lower(), title
        assert "<!--" not in text, title
        references = set(re.findall(r"https?://[^\s\"'<>)]+", text))
        assert references <= {"http://www.w3.org/2000/svg"}, (title, references)


def test_charts_tell_a_screen_reader_their_title():
    for title, markup in _all_charts():
        root = _parse(markup)
        assert root.get("role") == "img"
        assert root.get("aria-label") == title
        first, second = list(root)[:2]
        assert first.tag == f"{SVG}title" and first.text == title
        assert second.tag == f"{SVG}desc" and second.text


def test_charts_scale_to_their_column():
    for title, markup in _all_charts():
        root = _parse(markup)
        assert root.get("width") == "100%", title
        assert root.get("height") is None, title
        x, y, width, height = (float(n) for n in root.get("viewBox").split())
        assert (x, y, width) == (0, 0, charts.WIDTH), title
        # At 375 px the labels stay readable: the drawing is at most 480 units wide and its
        # smallest text 13 units, so about 10 px on the phone.
        sizes = [float(t.get("font-size")) for t in root.iter(f"{SVG}text")]
        assert sizes and min(sizes) >= 13, title


def test_a_hostile_label_is_shown_as_text_not_markup():
    _, markup = _all_charts()[0]
    root = _parse(markup)
    legend = [t.text for t in root.iter(f"{SVG}text") if t.text and "alert" in t.text]
    assert legend and all(text.startswith('<script>alert("x")') for text in legend)
    assert "&lt;script&gt;" in str(markup)
    # Also as the chart's own title.
    markup = charts.funnel(HOSTILE, ["a"], [1])
    assert _parse(markup).get("aria-label") == HOSTILE
    assert "<script" not in str(markup)


def test_the_figures_are_in_the_description_and_on_every_bar_and_point(app_context):
    with force_locale("en"):
        markup = charts.bars("Outcomes", ["Completed", "Early"], {"Q1": [3, 1234], "Q2": [0, 7]})
    root = _parse(markup)
    description = root.find(f"{SVG}desc").text
    assert description == "Q1: Completed: 3; Early: 1,234. Q2: Completed: 0; Early: 7"
    hovers = sorted(
        title.text for shape in root.iter(f"{SVG}rect") for title in shape.findall(f"{SVG}title")
    )
    assert hovers == ["Q1, Completed: 3", "Q1, Early: 1,234", "Q2, Completed: 0", "Q2, Early: 7"]


def test_a_line_has_a_gap_where_a_week_has_no_figure(app_context):
    with force_locale("en"):
        markup = charts.line("Rhythm", WEEKS, RHYTHM, percent=True)
    root = _parse(markup)
    points = [title.text for dot in root.iter(f"{SVG}circle") for title in dot]
    assert len(points) == 26 + 23  # the three weeks without a figure have no point
    assert "Bureau Noord, w1: 50%" in points
    assert f"{HOSTILE}, w4: 80%" in points
    assert f"{HOSTILE}, w5: 78.5%" in points
    description = root.find(f"{SVG}desc").text
    assert f"{HOSTILE}: w1: —; w2: —; w3: —; w4: 80%; w5: 78.5%" in description
    # The percentage axis runs from 0% to 100%.
    axis = [t.text for t in root.iter(f"{SVG}text") if t.text and t.text.endswith("%")]
    assert axis[0] == "0%" and "100%" in axis


def test_figures_are_written_in_the_users_language(app):
    with app.test_request_context(), force_locale("nl"):
        markup = charts.line("Ritme", ["w1", "w2"], {"Noord": [87.5, 1234.0]})
    description = _parse(markup).find(f"{SVG}desc").text
    assert description == "Noord: w1: 87,5; w2: 1.234"
    with app.test_request_context(), force_locale("nl"):
        markup = charts.line("Ritme", ["w1"], {"Noord": [87.5]}, percent=True)
    assert _parse(markup).find(f"{SVG}desc").text == "Noord: w1: 87,5%"
    with app.test_request_context(), force_locale("en"):
        markup = charts.funnel("Funnel", ["Registered"], [1234])
    assert _parse(markup).find(f"{SVG}desc").text == "Registered: 1,234"


def test_the_funnel_prints_each_count_after_its_bar_from_the_top_down():
    markup = charts.funnel(
        "Funnel", ["Registered", "Matched", "Started", "Ended"], [120, 80, 70, 3]
    )
    root = _parse(markup)
    bars = [rect for rect in root.iter(f"{SVG}rect") if "tooltip-trigger" in rect.get("class")]
    by_height = sorted(bars, key=lambda rect: float(rect.get("y")))
    assert [rect.find(f"{SVG}title").text for rect in by_height] == [
        "Registered: 120",
        "Matched: 80",
        "Started: 70",
        "Ended: 3",
    ]
    counts = {t.text: t for t in root.iter(f"{SVG}text") if t.get("class") == "bar-value"}
    assert set(counts) == {"120", "80", "70", "3"}
    registered = by_height[0]
    end = float(registered.get("x")) + float(registered.get("width"))
    assert float(counts["120"].get("x")) > end
    # The longest bar leaves room for its count inside the drawing.
    plot_width = float(root.find(f".//{SVG}g[@class='plot']/{SVG}rect").get("width"))
    assert end < plot_width * 0.9


def test_colours_meet_contrast_on_white_and_lines_differ_by_dash_too():
    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    for colour in charts.PALETTE + (charts.TEXT, charts.MUTED_TEXT, charts.AXIS):
        assert (1.05) / (luminance(colour) + 0.05) >= 3, colour
    assert len(set(charts.PALETTE)) == len(charts.PALETTE)
    assert len(set(charts.DASHES)) == len(charts.DASHES) == len(charts.PALETTE)

    root = _parse(charts.line("Rhythm", WEEKS, RHYTHM, percent=True))
    lines = [p for p in root.iter(f"{SVG}path") if "reactive" in p.get("class", "")]
    # Without pygal's stylesheet a line path would be filled black: fill is set on the path.
    assert [(p.get("fill"), p.get("stroke")) for p in lines] == [
        ("none", charts.PALETTE[0]),
        ("none", charts.PALETTE[1]),
    ]
    assert lines[0].get("stroke-dasharray") is None and lines[1].get("stroke-dasharray")
    # The legend shows each line's stretch, dash included, not only its colour.
    keys = [line for line in root.iter(f"{SVG}line") if "color-" in line.get("class", "")]
    assert [(k.get("stroke"), k.get("stroke-dasharray")) for k in keys] == [
        (charts.PALETTE[0], None),
        (charts.PALETTE[1], charts.DASHES[1]),
    ]


def test_stacked_bars_are_coloured_by_series():
    root = _parse(charts.bars("Caseload", ["a", "b"], {"x": [1, 2], "y": [3, 0]}, stacked=True))
    fills = {}
    for group in root.iter(f"{SVG}g"):
        classes = group.get("class", "").split()
        if "series" in classes:
            index = int(next(c for c in classes if c.startswith("serie-"))[6:])
            for rect in group.iter(f"{SVG}rect"):
                fills.setdefault(index, set()).add(rect.get("fill"))
    assert fills == {0: {charts.PALETTE[0]}, 1: {charts.PALETTE[1]}}


def test_count_axes_have_whole_numbers():
    root = _parse(charts.bars("Few", ["a", "b"], {"n": [1, 3]}))
    axis = [t.text for t in root.iter(f"{SVG}text") if t.text and t.text[0].isdigit()]
    assert axis == ["0", "1", "2", "3"]


@pytest.mark.parametrize(
    ("low", "high", "integer"),
    [(0, 3, True), (0, 138, True), (0, 1, True), (0, 0, True), (0, 0.7, False), (-4, 9, True)],
)
def test_ticks_are_round_steps_from_zero_past_the_largest_value(low, high, integer):
    values = charts.ticks(low, high, integer=integer)
    steps = {round(b - a, 9) for a, b in zip(values, values[1:], strict=False)}
    assert len(steps) == 1
    step = steps.pop()
    assert step > 0
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert round(mantissa, 9) in (1, 2, 5)
    assert 0 in values and values[0] <= low and values[-1] >= high
    assert len(values) <= 7
    if integer:
        assert all(isinstance(v, int) for v in values)


def test_long_labels_under_bars_turn_the_chart_on_its_side():
    labels = ["Completed the full programme", "Ended early: moved away", "Referred onwards"]
    root = _parse(charts.bars("Outcomes", labels, {"n": [3, 1, 2]}))
    graph = next(g for g in root.iter(f"{SVG}g") if "graph" in g.get("class", "").split())
    assert "horizontal" in graph.get("class").split()
    assert all(t.get("transform") is None for t in root.iter(f"{SVG}text"))


def test_no_figures_show_no_data():
    for markup in (
        charts.bars("Empty", [], {}),
        charts.line("Empty", ["w1", "w2"], {"a": [None, None]}),
        charts.funnel("Empty", [], []),
    ):
        root = _parse(markup)
        assert any(t.get("class") == "no_data" for t in root.iter(f"{SVG}text"))


def test_values_must_match_labels():
    with pytest.raises(ValueError):
        charts.line("x", ["a", "b"], {"s": [1.0]})
    with pytest.raises(ValueError):
        charts.bars("x", ["a"], {"s": [1, 2]})
    with pytest.raises(ValueError):
        charts.funnel("x", ["a"], [1, 2])


def test_after_pygal_a_missing_optional_module_is_still_a_plain_import_error():
    """pygal's legacy import hook made every failed import an ImportWarning (an error in the
    tests); openpyxl's optional ``import numpy`` broke the XLSX export after a chart."""
    import importlib

    with pytest.raises(ImportError):
        importlib.import_module("maatjes_no_such_module")
