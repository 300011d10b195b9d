"""Recognising the pieces of a text article by pattern, not by position in one file."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.ingest.base import InputError
from core.ingest.textfile import parse_text_article

BODY = (
    "Rescue workers said the strike hit a residential street in the town on Sunday morning.\n\n"
    "Several families had arrived from the south only days earlier."
)


def layout(*header: str, body: str = BODY, trailer: tuple[str, ...] = ()) -> str:
    """A web-layout article: title, blank, header lines, body, trailer lines."""
    title = "Strike hits residential street in Binnish"
    return "\n".join([title, "", title, *header, body, "", *trailer])


@pytest.mark.parametrize(
    "date_line",
    [
        "25 February, 2020",
        "Feb 25, 2020",
        "2020-02-25",
        "Tuesday, 25 February 2020",
        "Published: February 25, 2020",
        "25th February 2020",
    ],
)
def test_date_line_formats(date_line: str, tmp_path: Path) -> None:
    text = layout("A short standfirst about the strike.", "2 min read", date_line)
    article = parse_text_article(text, tmp_path / "a.txt")
    assert article.published == datetime(2020, 2, 25, tzinfo=UTC)
    assert article.body == BODY


def test_date_line_with_time_keeps_the_time(tmp_path: Path) -> None:
    article = parse_text_article(layout("25 February 2020 14:05 GMT"), tmp_path / "a.txt")
    assert article.published == datetime(2020, 2, 25, 14, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    "caption",
    [
        "Smoke over the town after the raid [Getty]",
        "Smoke over the town after the raid [AFP/File]",
        "Smoke over the town after the raid [Anadolu Agency]",
        "Smoke over the town after the raid (Photo: Reuters)",
        "Photo: smoke over the town after the raid",
    ],
)
def test_photo_caption_with_any_credit_is_not_body(caption: str, tmp_path: Path) -> None:
    article = parse_text_article(layout("3 min read", "1 March 2020", caption), tmp_path / "a.txt")
    assert article.body == BODY
    assert article.extra["caption"] == caption


@pytest.mark.parametrize(
    "trailer",
    [
        ("Read more: Another story about the region",),
        ("Read also: Another story",),
        ("Follow us on Facebook, Twitter and Instagram",),
        ("(Reporting by a correspondent; editing by the desk)",),
        ("Additional reporting by staff in Gaziantep",),
        ("Agencies contributed to this report.", "Follow us on Twitter to stay connected"),
    ],
)
def test_trailing_promotion_and_credits_are_not_body(
    trailer: tuple[str, ...], tmp_path: Path
) -> None:
    article = parse_text_article(layout("1 March 2020", trailer=trailer), tmp_path / "a.txt")
    assert article.body == BODY


def test_a_read_more_line_inside_the_body_is_dropped(tmp_path: Path) -> None:
    body = BODY.replace("\n\n", "\n\nRead more: unrelated link\n\n")
    article = parse_text_article(layout("1 March 2020", body=body), tmp_path / "a.txt")
    assert "unrelated link" not in article.body


def test_body_sentences_that_mention_dates_or_credits_stay(tmp_path: Path) -> None:
    body = (
        "On 25 February, 2020 the council met again.\n\n"
        "Officials said they would follow us on the matter of reporting by Friday."
    )
    text = "Council meets\n\n" + body
    article = parse_text_article(text, tmp_path / "a.txt")
    assert article.body == body
    assert article.published is None


def test_plain_title_and_body(tmp_path: Path) -> None:
    article = parse_text_article("A title\n\n" + BODY + "\n", tmp_path / "a.md")
    assert (article.title, article.body) == ("A title", BODY)


def test_markdown_heading_marker_is_not_part_of_the_title(tmp_path: Path) -> None:
    article = parse_text_article("# A title\n\n" + BODY, tmp_path / "a.md")
    assert article.title == "A title"


def test_windows_line_endings(tmp_path: Path) -> None:
    text = layout("3 min read", "1 March 2020").replace("\n", "\r\n")
    article = parse_text_article(text, tmp_path / "a.txt")
    assert article.body == BODY
    assert article.published == datetime(2020, 3, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "text",
    ["", "\n\n", "Just a title\n", "A title\n\ntoo short", "a,b\n1,2\n3,4\n"],
)
def test_files_that_are_not_articles(text: str, tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not an article"):
        parse_text_article(text, tmp_path / "a.txt")


def test_source_from_source_line_at_the_end(tmp_path: Path) -> None:
    article = parse_text_article(
        "A title\n\n" + BODY + "\n\nSource: Example Times", tmp_path / "a.txt"
    )
    assert article.source == "Example Times"
    assert "Example Times" not in article.body


def test_source_defaults_to_the_folder_name(tmp_path: Path) -> None:
    folder = tmp_path / "example-outlet"
    folder.mkdir()
    article = parse_text_article("A title\n\n" + BODY, folder / "a.txt")
    assert article.source == "example-outlet"


def test_markdown_front_matter(tmp_path: Path) -> None:
    text = (
        '---\ntitle: "Camps flood after storm"\ndate: 2020-01-20\nsource: Field Notes\n'
        "tags: [idlib]\n---\n\n" + BODY
    )
    article = parse_text_article(text, tmp_path / "post.md")
    assert (article.title, article.source) == ("Camps flood after storm", "Field Notes")
    assert article.published == datetime(2020, 1, 20, tzinfo=UTC)
    assert article.body == BODY


def test_a_short_body_is_refused_with_its_word_count(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"4 words of body text after the title .*at least 5"):
        parse_text_article("T1\n\nBody 1 about Saraqeb.\n", tmp_path / "a.txt")
