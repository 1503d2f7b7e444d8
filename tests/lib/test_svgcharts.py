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


def test_count_classes_split_the_counts_above_zero_into_ranges_without_gaps():
    assert svgcharts.count_classes([0, 0]) == []
    assert svgcharts.count_classes([3, 0, 3]) == [(1, 3)]
    assert svgcharts.count_classes([1, 2, 3, 4, 5, 6, 7, 8]) == [(1, 2), (3, 4), (5, 6), (7, 8)]
    assert svgcharts.count_classes([1, 1, 1, 1, 1, 1, 40]) == [(1, 1), (2, 40)]


def _tiny_world():
    from partnerpost.lib.worldshapes import World

    return World(view_box=(0.0, 0.0, 100.0, 50.0),
                 paths={"KE": "M10,10l5,0 0,5z", "FR": "M40,10l5,0 0,5z"}, markers={"VA": (42.0, 12.0)})


def test_world_map_fills_each_country_by_its_class_and_names_it_with_its_count():
    svg = svgcharts.world_map({"KE": 7, "FR": 0, "VA": 2}, {"KE": "Kenya", "FR": "France", "VA": "Holy See"},
                              "Entries by country", _tiny_world(), legend_title="Entries:")
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg"') and svg.endswith("</svg>")
    assert '<title id="chart-entries-by-country-t">Entries by country</title>' in svg
    assert '<desc id="chart-entries-by-country-d">Holy See: 2; Kenya: 7</desc>' in svg
    classes = svgcharts.count_classes([7, 0, 2])  # [(1, 2), (3, 7)]
    assert classes == [(1, 2), (3, 7)]
    assert f'<path d="M10,10l5,0 0,5z" fill="{svgcharts.SHADES[2]}"><title>Kenya: 7</title></path>' in svg
    assert f'<path d="M40,10l5,0 0,5z" fill="{svgcharts.ZERO}"><title>France: 0</title></path>' in svg
    assert f'fill="{svgcharts.SHADES[1]}" stroke="{svgcharts.MUTED}"' in svg and "<title>Holy See: 2</title></circle>" in svg
    assert ">1–2</text>" in svg and ">3–7</text>" in svg and "Not on the map" not in svg
    assert "style=" not in svg and "<script" not in svg


def test_world_map_lists_counted_places_that_have_no_shape():
    svg = svgcharts.world_map({"KE": 1, "TV": 3, "XX": 1}, {"KE": "Kenya", "TV": "Tuvalu & co"}, "Map", _tiny_world(),
                              missing_label="Not on the map:")
    assert ">Not on the map: Tuvalu &amp; co (3), XX (1)</text>" in svg
    assert "Tuvalu &amp; co: 3" in svg  # in the description too


def test_the_installed_world_shapes_cover_every_m49_country():
    from partnerpost.lib import m49, worldshapes

    world = worldshapes.world()
    assert set(m49.COUNTRY_REGION) <= world.codes
    assert {"KE", "FR", "BR", "JP", "AU", "US"} <= set(world.paths)
    assert "VA" in world.markers  # the smallest states are marked with a dot
    assert sum(len(d) for d in world.paths.values()) < 120_000
