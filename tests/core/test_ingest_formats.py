"""Each input format becomes the right articles (read from tiny fixtures)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.ingest import InputError, ItemError, ItemWarning, reader_for
from core.models import Article, Feed


def read_all(path: Path) -> list[object]:
    reader = reader_for(path)
    assert reader is not None, path
    return list(reader(path))


def articles(path: Path) -> list[Article]:
    return [item for item in read_all(path) if isinstance(item, Article)]


def test_reference_layout_separates_header_body_and_boilerplate(ingest_fixtures: Path) -> None:
    path = ingest_fixtures / "text" / "reference_layout.txt"
    [article] = articles(path)
    assert article.title == "Opposition fighters push back into Kafr Nabl after night of shelling"
    assert article.published == datetime(2020, 3, 3, tzinfo=UTC)
    assert article.body.startswith("Fighters from opposition factions returned")
    assert article.body.endswith("while the shelling continued.")
    for boilerplate in ("min read", "[AFP]", "Read more", "Follow us", "contributed to this"):
        assert boilerplate not in article.body
    assert article.title not in article.body
    assert article.extra["lede"].startswith("The hilltop town overlooks")
    assert article.extra["caption"].endswith("[AFP]")
    assert article.url == path.resolve().as_uri()
    assert article.source == "text"  # no outlet named: the folder the file is in


def test_plain_layout_with_wire_dateline_gives_date_and_source(ingest_fixtures: Path) -> None:
    [article] = articles(ingest_fixtures / "text" / "plain_wire.md")
    assert article.title == "Convoy of displaced families reaches the border crossing"
    assert article.published == datetime(2020, 2, 11, tzinfo=UTC)
    assert article.source == "Example Wire"
    assert article.body.startswith("SARMADA, Syria, Feb 11, 2020 (Example Wire) - Hundreds")
    assert "Reporting by" not in article.body


def test_dateline_without_year_takes_the_year_from_the_file_name(ingest_fixtures: Path) -> None:
    [article] = articles(ingest_fixtures / "text" / "2020-02-06_dateline_no_year.txt")
    assert article.published == datetime(2020, 2, 6, tzinfo=UTC)


def test_metadata_header_names_source_and_date(ingest_fixtures: Path) -> None:
    [article] = articles(ingest_fixtures / "text" / "metadata_header.txt")
    assert article.source == "Relief Notes"
    assert article.published == datetime(2020, 1, 15, tzinfo=UTC)
    assert article.title == "Cold snap worsens conditions in northern camps"
    assert article.body.startswith("Temperatures fell below freezing")


def test_article_without_any_date_has_no_published(ingest_fixtures: Path) -> None:
    [article] = articles(ingest_fixtures / "text" / "no_date.txt")
    assert article.published is None


def test_a_csv_saved_as_txt_is_not_an_article(ingest_fixtures: Path) -> None:
    with pytest.raises(InputError, match="not an article"):
        read_all(ingest_fixtures / "text" / "not_an_article.txt")


def test_html_main_text_metadata_and_canonical_url(ingest_fixtures: Path) -> None:
    [article] = articles(ingest_fixtures / "page.html")
    assert (
        article.url == "https://gazette.example/2020/01/30/shelling-empties-villages-south-of-ariha"
    )
    assert article.title == "Shelling empties villages south of Ariha"
    assert article.source == "Example Gazette"
    assert article.published == datetime(2020, 1, 30, 12, 45, tzinfo=UTC)
    assert article.body.startswith("Villages south of Ariha were almost deserted")
    for chrome in ("cookies", "Football results", "All rights reserved", "Home"):
        assert chrome not in article.body


def test_html_without_metadata_falls_back_to_title_tag_and_file_url(ingest_fixtures: Path) -> None:
    path = ingest_fixtures / "page_without_metadata.html"
    [article] = articles(path)
    assert article.title.startswith("Field report from the border camps")
    assert article.url == path.resolve().as_uri()
    assert "olive groves" in article.body


def test_json_list_keeps_good_items_and_names_the_bad_one(ingest_fixtures: Path) -> None:
    items = read_all(ingest_fixtures / "articles.json")
    good = [i for i in items if isinstance(i, Article)]
    [bad] = [i for i in items if isinstance(i, ItemError)]
    assert [a.url for a in good] == [
        "https://monitor.example/2020/02/10/report-a",
        "https://monitor.example/2020/02/11/report-b",
    ]
    assert good[0].published == datetime(2020, 2, 10, tzinfo=UTC)
    assert good[0].extra == {"region": "idlib"}
    assert good[1].body == "Clashes were reported near Taftanaz on Tuesday evening."  # "text"
    assert good[1].published == datetime(2020, 2, 11, 16, 30, tzinfo=UTC)
    assert "item 3" in str(bad) and "url" in str(bad)


def test_single_json_object_naive_time_is_utc(ingest_fixtures: Path) -> None:
    [article] = articles(ingest_fixtures / "single.json")
    assert article.published == datetime(2020, 3, 5, 16, 0, tzinfo=UTC)


def test_jsonl_bad_lines_are_named_by_line_and_field(ingest_fixtures: Path) -> None:
    path = ingest_fixtures / "bulletins.jsonl"
    items = read_all(path)
    good = [i for i in items if isinstance(i, Article)]
    errors = {e.line: e.reason for e in items if isinstance(e, ItemError)}
    assert [a.url for a in good] == ["https://bulletin.example/1", "https://bulletin.example/5"]
    assert good[1].extra == {"priority": 2}
    assert set(errors) == {2, 4, 5}
    assert "invalid JSON" in errors[2]
    assert "url" in errors[4]
    assert "published" in errors[5]
    assert str(ItemError(path, "x", 4)).startswith(f"{path}:4: ")


@pytest.mark.parametrize(
    ("name", "urls", "source"),
    [
        (
            "wire.rss",
            [
                "https://wire.example/2020/02/09/convoy",
                "https://wire.example/2020/02/10/displacement",
            ],
            "Example Wire - Syria",
        ),
        ("notebook.atom", ["https://notebook.example/2020/02/20/m4"], "Example Notebook"),
        ("bulletin.rdf", ["https://aid.example/2020/01/31/deliveries"], "Example Aid Bulletin"),
    ],
)
def test_feed_documents_become_articles(
    ingest_fixtures: Path, name: str, urls: list[str], source: str
) -> None:
    found = articles(ingest_fixtures / "feeds" / name)
    assert [a.url for a in found] == urls
    assert all(a.source == source and a.feed_url is None and a.published for a in found)
    assert all("<" not in a.body and a.body for a in found)


def test_rss_entry_prefers_full_content_and_strips_html(ingest_fixtures: Path) -> None:
    first = articles(ingest_fixtures / "feeds" / "wire.rss")[0]
    assert first.body.startswith("A Turkish military convoy of armoured vehicles entered Idlib")
    assert "witnesses said" in first.body
    assert first.guid == "wire-2020-02-09-convoy"
    assert first.published == datetime(2020, 2, 9, 11, 20, tzinfo=UTC)


def test_opml_lists_web_feeds_and_warns_about_others(ingest_fixtures: Path) -> None:
    items = read_all(ingest_fixtures / "feeds.opml")
    feeds = [i for i in items if isinstance(i, Feed)]
    warnings = [i for i in items if isinstance(i, ItemWarning)]
    assert [f.url for f in feeds] == [
        "https://wire.example/syria/feed.xml",
        "https://notebook.example/atom.xml",
    ]
    assert feeds[0].category == "News"
    assert len(warnings) == 1 and "file:///etc/passwd" in str(warnings[0])


def test_unknown_extension_has_no_reader(tmp_path: Path) -> None:
    assert reader_for(tmp_path / "report.pdf") is None
    assert reader_for(tmp_path / "REPORT.TXT") is not None
