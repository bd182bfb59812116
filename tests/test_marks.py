"""A chart's marks for the static edition's script: each drawn mark's outline paired with its own
figure's hover text, in the page's number formats, in reading order."""

from __future__ import annotations

import pytest

from nexidash import charts
from nexidash.marks import marks

NS = 'xmlns="http://www.w3.org/2000/svg"'


def _svg(bars: list[str], points: str = "") -> bytes:
    """A picture as Kaleido draws one: bars in a plot area moved by a translate."""
    drawn = "".join(f'<g class="point"><path d="{d}"/></g>' for d in bars)
    return (f'<svg {NS} width="880" height="300"><g class="cartesianlayer"><g class="subplot xy">'
            f'<g class="overplot"><g class="xy" transform="translate(100,10)">'
            f'<g class="barlayer mlayer"><g class="trace bars"><g class="points">{drawn}</g></g>'
            f'</g>{points}</g></g></g></g></svg>').encode()


def _figure(values, names, template="%{y}: %{x:,.0f}億円<extra></extra>"):
    return charts.Figure(charts.bar(x=values, y=names, orientation="h",
                                    hovertemplate=template)).to_dict()


def test_each_bar_says_its_own_figure_in_the_pages_format_top_to_bottom():
    """Test that a bar's text is its own value through its hover template, △ for minus in Japanese, and the marks read top to bottom."""
    spec = _figure([-1124.4, 31.7], ["支払", "収入"])
    # The second value is drawn above the first, as a horizontal bar chart stacks them.
    svg = _svg(["M0,200V170H40V200Z", "M0,100V70H20V100Z"])
    found = marks(spec, svg, "ja")
    assert [m["t"] for m in found["m"]] == ["収入: 32億円", "支払: △1,124億円"]
    assert found["m"][0]["b"] == [100, 80, 20, 30]  # moved by the plot area's translate
    assert found["w"] == 880 and found["h"] == 300


def test_english_amounts_put_the_sign_before_the_yen():
    spec = _figure([-112.4], ["Net claims paid"], "%{y}: ¥%{x:,.1f} billion<extra>FY2024</extra>")
    found = marks(spec, _svg(["M0,200V170H40V200Z"]), "en")
    assert found["m"][0]["t"] == "Net claims paid: -¥112.4 billion\nFY2024"


def test_a_year_on_a_numeric_axis_reads_as_a_year():
    spec = charts.Figure(charts.bar(x=[1991, 2005], y=[1, 12],
                                    hovertemplate="%{x}: %{y}")).to_dict()
    found = marks(spec, _svg(["M0,200V170H40V200Z", "M50,200V100H90V200Z"]), "ja")
    assert [m["t"] for m in found["m"]] == ["1991: 1", "2005: 12"]


def test_a_bar_of_no_length_is_no_mark_but_keeps_the_others_in_place():
    spec = _figure([0, 5], ["a", "b"])
    found = marks(spec, _svg(["M0,0Z", "M0,100V70H20V100Z"]), "ja")
    assert [m["t"] for m in found["m"]] == ["b: 5億円"]


def test_a_picture_with_more_marks_than_values_fails_the_build():
    """Test that a drawn trace whose point count differs from its values stops the build, rather than put one figure on another's mark."""
    spec = _figure([1, 2], ["a", "b"])
    with pytest.raises(ValueError, match="2 values, 3 drawn"):
        marks(spec, _svg(["M0,10V0H5V10Z", "M0,30V20H5V30Z", "M0,50V40H5V50Z"]), "ja")


def test_a_marker_is_a_fingertip_circle_round_its_centre():
    spec = charts.Figure(charts.scatter(x=["2020", "2021", "2022"], y=[1.5, None, 3],
                                        mode="lines+markers",
                                        hovertemplate="%{x}: %{y:.1f}％")).to_dict()
    points = ('<g class="scatterlayer mlayer"><g class="trace scatter"><g class="points">'
              '<path class="point" transform="translate(10,50)" d="M3,0A3,3 0 1,1 0,-3Z"/>'
              '<path class="point" transform="translate(90,20)" d="M3,0A3,3 0 1,1 0,-3Z"/>'
              '</g></g></g>')
    svg = _svg([]).replace(b"</g></g></g></g></svg>", points.encode() + b"</g></g></g></g></svg>")
    found = marks(spec, svg.replace(b'<g class="barlayer mlayer"><g class="trace bars">'
                                    b'<g class="points"></g></g></g>', b""), "ja")
    assert [m["t"] for m in found["m"]] == ["2020: 1.5％", "2022: 3.0％"]
    assert found["m"][0]["b"] == [104, 54, 12, 12]
