from partnerpost.lib import svgcharts


def test_bar_chart_escapes_labels_and_describes_its_values():
    svg = svgcharts.bar_chart([("E-health <b>", 3), ("Partnerships", 0)], "Entries by area")
    assert "E-health &lt;b&gt;" in svg and "<b>" not in svg
    assert '<desc id="chart-entries-by-area-d">E-health &lt;b&gt;: 3; Partnerships: 0</desc>' in svg
    assert " style=" not in svg


def test_tile_cartogram_shades_countries_by_count():
    svg = svgcharts.tile_cartogram({"KE": 1, "UY": 9}, {"KE": "Kenya", "UY": "Uruguay"}, "Map")
    assert '<title>Kenya: 1</title><rect x="' in svg
    kenya = svg.split("<title>Kenya: 1</title>")[1].split("/>")[0]
    uruguay = svg.split("<title>Uruguay: 9</title>")[1].split("/>")[0]
    assert 'fill="#c6dbef"' in kenya and 'fill="#0b4f8a"' in uruguay
    assert "<desc" in svg and "Kenya: 1; Uruguay: 9" in svg
