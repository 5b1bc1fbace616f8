"""The SVG chart writer (generator/render/charts.py): valid SVG, named for a screen reader, no
script, record text escaped, and bars in proportion to their numbers."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from generator.render.charts import Bar, Month, bar_chart, month_chart, progress

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    assert "<script" not in markup and "href" not in markup
    return ET.fromstring(str(markup))


def test_a_bar_chart_names_itself_and_escapes_its_labels():
    svg = parse(bar_chart([Bar("<b>张*明</b>", 0.5, "5/10"), Bar("李*", None)], "积分 & 排名"))
    assert svg.get("role") == "img" and svg.get("aria-label") == "积分 & 排名"
    texts = [text.text for text in svg.iter(f"{SVG}text")]
    assert texts[0].startswith("<b>张") and "5/10" in texts and "—" in texts


def test_progress_draws_the_target_where_it_belongs():
    svg = parse(progress("覆盖户数", 0.3, 0.6, "红黑榜覆盖", "30%"))
    bars = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("fill") != "#eee"]
    track = [rect for rect in svg.iter(f"{SVG}rect") if rect.get("fill") == "#eee"][0]
    assert abs(float(bars[0].get("width")) - 0.3 * float(track.get("width"))) < 0.2
    line = next(svg.iter(f"{SVG}line"))
    assert abs(float(line.get("x1")) - (float(track.get("x")) + 0.6 * float(track.get("width")))) < 0.2


def test_month_chart_bars_are_in_proportion_and_the_balance_is_a_line():
    months = [Month("1月", 100.0, 50.0, 1000.0), Month("2月", 200.0, 0.0, 1200.0), Month("3月", 0.0, 25.0, 1175.0)]
    svg = parse(month_chart(months, "收支", ("收入", "支出", "余额")))
    heights = {(rect.get("fill"), rect.get("x")): float(rect.get("height")) for rect in svg.iter(f"{SVG}rect")
               if rect.get("height") != "12"}
    income = [h for (fill, _), h in sorted(heights.items(), key=lambda item: float(item[0][1])) if fill == "#1565c0"]
    assert income[1] == 2 * income[0] and income[2] == 0
    assert len(next(svg.iter(f"{SVG}polyline")).get("points").split()) == 3
    assert [t.text for t in svg.iter(f"{SVG}text")][:3] == ["收入", "支出", "余额"]
    assert "1月" in [t.text for t in svg.iter(f"{SVG}text")]


def test_an_empty_or_flat_year_draws_without_dividing_by_zero():
    parse(month_chart([], "收支", ("收入", "支出", "余额")))
    parse(month_chart([Month("1月", 0.0, 0.0, 5.0)], "收支", ("收入", "支出", "余额")))
