"""Server-side time charts: buckets follow the data's span, gaps stay empty, bad keys counted."""

from __future__ import annotations

from babelwire.web.charts import Granularity, time_chart


def test_time_chart_draws_one_bar_per_nonzero_day_with_gaps_on_the_axis() -> None:
    chart = time_chart([("2024-05-01", "en", 2), ("2024-05-04", "en", 4)])
    assert chart.granularity is Granularity.DAY
    assert [bar.label for bar in chart.bars] == ["2024-05-01 · en: 2 articles",
                                                 "2024-05-04 · en: 4 articles"]
    tallest = max(chart.bars, key=lambda bar: bar.height)
    assert tallest.height == 2 * min(bar.height for bar in chart.bars)
    assert chart.bars[1].x - chart.bars[0].x > 2.9 * chart.bars[0].width
    assert chart.summary == "6 articles from 2024-05-01 to 2024-05-04, per day"


def test_time_chart_stacks_languages_and_uses_hours_for_a_short_story() -> None:
    chart = time_chart([("2024-05-01T10:15:00+02:00", "en", 1),
                        ("2024-05-01T10:40:00+02:00", "fr", 2),
                        ("2024-05-02T09:00:00", "en", 1)])
    assert chart.granularity is Granularity.HOUR
    first_hour = [bar for bar in chart.bars if bar.label.startswith("05-01 10:00")]
    assert [bar.label for bar in first_hour] == ["05-01 10:00 · en: 1 articles",
                                                 "05-01 10:00 · fr: 2 articles"]
    en, fr = first_hour
    assert fr.y + fr.height == en.y
    assert [name for name, _ in chart.legend] == ["en", "fr"]  # equal totals: by name


def test_time_chart_uses_weeks_past_three_months_and_months_past_three_years() -> None:
    weeks = time_chart([("2024-01-01", "x", 1), ("2024-12-31", "x", 1)])
    months = time_chart([("2019-01-15", "x", 1), ("2024-12-31", "x", 1)])
    assert (weeks.granularity, months.granularity) == (Granularity.WEEK, Granularity.MONTH)
    assert months.bars[0].label == "2019-01 · x: 1 articles"


def test_time_chart_sums_small_series_into_other_and_counts_keys_that_are_not_dates() -> None:
    points = [("2024-05-01", f"l{i}", 10 - i) for i in range(5)] + [("someday", "en", 1)]
    chart = time_chart(points, max_series=3)
    assert [name for name, _ in chart.legend] == ["l0", "l1", "other"]
    assert chart.skipped == 1
    assert chart.total == 40


def test_time_chart_of_nothing_has_no_bars() -> None:
    assert time_chart([]).bars == []


def test_chart_svg_escapes_series_names_in_bar_labels() -> None:
    from babelwire.web.templating import build_templates

    chart = time_chart([("2024-05-06T09", "<script>x</script>", 2)])
    macro = build_templates().from_string(
        '{% from "_macros.html" import chart %}{{ chart(c, "Articles") }}')
    svg = macro.render(c=chart)
    assert "&lt;script&gt;x&lt;/script&gt;: 2 articles</title>" in svg
    assert "<script>" not in svg
    assert f'width="{chart.bars[0].width}"' in svg


# The template loop `bars_svg` replaced (session 5), kept here as the specification of its bytes.
BAR_LOOP = ('{% autoescape false %}{% for b in bars %}<rect x="{{ b.x }}" y="{{ b.y }}"'
            ' width="{{ b.width }}" height="{{ b.height }}" fill="{{ b.colour }}"><title>'
            '{{ b.label|e }}</title></rect>\n{% endfor %}{% endautoescape %}')


def test_bars_svg_writes_the_bytes_of_the_template_loop_it_replaced() -> None:
    from dataclasses import asdict

    from jinja2 import Environment

    from babelwire.web.charts import bars_svg

    points = [(f"2024-05-{day:02d}T{hour:02d}", lang, (day * hour) % 7 + 1)
              for day in (1, 2) for hour in range(0, 24, 5) for lang in ("en", "<b>&x", "fr")]
    chart = time_chart(points, unit='quotes "said"')
    loop = Environment(autoescape=True, trim_blocks=True).from_string(BAR_LOOP)
    assert len(chart.bars) > 20
    assert str(bars_svg(chart.bars)) == loop.render(bars=chart.bars)
    assert str(bars_svg([asdict(bar) for bar in chart.bars])) == loop.render(bars=chart.bars)
    assert "&lt;b&gt;&amp;x" in bars_svg(chart.bars) and "<b>" not in bars_svg(chart.bars)


def test_chart_labels_read_as_strftime_wrote_them_for_every_granularity() -> None:
    from datetime import datetime

    from babelwire.web.charts import _label

    formats = {Granularity.HOUR: "%m-%d %H:00", Granularity.DAY: "%Y-%m-%d",
               Granularity.WEEK: "%Y-%m-%d", Granularity.MONTH: "%Y-%m"}
    moments = [datetime(year, month, day, hour) for year in (1, 99, 999, 1000, 2024, 9999)
               for month, day, hour in ((1, 1, 0), (12, 31, 23), (2, 29 if year % 4 == 0
                                                                  and year % 100 else 28, 9))]
    assert {(m, g): _label(m, g) for m in moments for g in Granularity} == {
        (m, g): m.strftime(formats[g]) for m in moments for g in Granularity}
