"""Encodings, binary files, size limits and hostile characters at ingest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.ingest import InputError, ItemError, ItemWarning, reader_for
from core.models import Article

ARTICLE = (
    "Café owners in Idlib – “we stay”\n\n"
    "The café near the market reopened on Monday, its owner said, despite the shelling.\n"
)


def read(path: Path) -> list[object]:
    reader = reader_for(path)
    assert reader is not None
    return list(reader(path))


def only_article(items: list[object]) -> Article:
    [article] = [i for i in items if isinstance(i, Article)]
    return article


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "utf-32"])
def test_unicode_encodings_with_bom_read_without_warning(encoding: str, tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    data = ARTICLE.encode(encoding)
    if encoding == "utf-16-be":
        data = b"\xfe\xff" + data
    path.write_bytes(data)
    items = read(path)
    article = only_article(items)
    assert article.title == "Café owners in Idlib – “we stay”"
    assert not [i for i in items if isinstance(i, ItemWarning)]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1"])
def test_legacy_western_file_is_decoded_with_a_warning(encoding: str, tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    text = (
        ARTICLE
        if encoding == "cp1252"
        else ARTICLE.replace("–", "-").replace("“", '"').replace("”", '"')
    )
    path.write_bytes(text.encode(encoding))
    items = read(path)
    article = only_article(items)
    assert article.title.startswith("Café owners in Idlib")
    assert "café near the market" in article.body
    [warning] = [i for i in items if isinstance(i, ItemWarning)]
    assert "not UTF-8" in str(warning) and str(path) in str(warning)


def test_legacy_arabic_code_page_is_detected(tmp_path: Path) -> None:
    title = "قصف على إدلب"
    body = (
        "قالت الأمم المتحدة إن القصف على إدلب أدى إلى نزوح "
        "مئات الآلاف من المدنيين نحو الحدود التركية."
    )
    path = tmp_path / "arabic.txt"
    path.write_bytes(f"{title}\n\n{body}\n".encode("cp1256"))
    article = only_article(read(path))
    assert article.title == title
    assert article.body == body


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00",
        b"Title\n\nbody with a \x00 NUL byte in it and more words here",
        bytes(range(1, 32)) * 20,
    ],
)
def test_binary_files_are_refused_with_a_reason(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "binary.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match="binary"):
        read(path)


def test_oversized_file_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("core.ingest.textfile.MAX_FILE_BYTES", 100)
    path = tmp_path / "big.txt"
    path.write_text("Title\n\n" + "word " * 100)
    with pytest.raises(InputError, match="too large"):
        read(path)


def _line(url: str, body: str = "Aid trucks crossed the border on Monday.") -> str:
    return json.dumps({"url": url, "title": "t", "body": body}, ensure_ascii=False)


def test_jsonl_overlong_line_fails_alone(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("core.ingest.jsonfile.MAX_JSONL_LINE_BYTES", 200)
    path = tmp_path / "a.jsonl"
    lines = [
        _line("https://x.example/1"),
        _line("https://x.example/2", "long " * 100),
        _line("https://x.example/3"),
    ]
    path.write_text("\n".join(lines) + "\n")
    items = read(path)
    assert [a.url for a in items if isinstance(a, Article)] == [
        "https://x.example/1",
        "https://x.example/3",
    ]
    [error] = [i for i in items if isinstance(i, ItemError)]
    assert error.line == 2 and "longer than" in error.reason


def test_jsonl_with_bom_utf16_and_a_legacy_line(tmp_path: Path) -> None:
    bom = tmp_path / "bom.jsonl"
    bom.write_bytes(
        ("\n".join([_line("https://x.example/1"), _line("https://x.example/2")]) + "\n").encode(
            "utf-8-sig"
        )
    )
    assert len([i for i in read(bom) if isinstance(i, Article)]) == 2
    wide = tmp_path / "wide.jsonl"
    wide.write_bytes((_line("https://x.example/3", "Café") + "\n").encode("utf-16"))
    assert only_article(read(wide)).body == "Café"
    legacy = tmp_path / "legacy.jsonl"
    legacy.write_bytes(
        _line("https://x.example/1").encode()
        + b"\n"
        + _line("https://x.example/4", "Café").encode("cp1252")
        + b"\n"
    )
    items = read(legacy)
    assert [a.body for a in items if isinstance(a, Article)][1] == "Café"
    assert any(isinstance(i, ItemWarning) for i in items)


def test_jsonl_line_with_nul_bytes_fails_alone(tmp_path: Path) -> None:
    path = tmp_path / "a.jsonl"
    path.write_bytes(
        _line("https://x.example/1").encode()
        + b"\n\x00\x01\x02\n"
        + _line("https://x.example/2").encode()
        + b"\n"
    )
    items = read(path)
    assert len([i for i in items if isinstance(i, Article)]) == 2
    [error] = [i for i in items if isinstance(i, ItemError)]
    assert error.line == 2 and "binary" in error.reason


def test_hostile_characters_are_removed_and_script_joiners_kept(tmp_path: Path) -> None:
    title = "Breaking\x1b[2J\x1b]0;pwned\x07 news\u202e from Idlib\x9b31m"
    body = "Cafe\u0301 in \u0645\u200c\u0634 and \u200dzwj\u200e kept.\x07\x1b[31mred\x1b[0m"
    path = tmp_path / "a.json"
    path.write_text(
        json.dumps(
            {"url": "https://x.example/h", "title": title, "body": body, "source": "S\x1b[1m"}
        )
    )
    article = only_article(read(path))
    # ANSI sequences go whole; a lone C1 CSI (\x9b) is removed, so "31m" is inert text.
    assert article.title == "Breaking news from Idlib31m"
    assert article.body == "Café in \u0645\u200c\u0634 and \u200dzwj\u200e kept.red"
    assert article.source == "S"
    for text in (article.title, article.body, article.source):
        assert not any(ch in text for ch in "\x1b\x07\x9b\u202e")


def _reference_clean_text(text: str, limit: int = 200_000) -> str:
    """clean_text as first written (line by line, every space run folded), to check that the
    fast paths change nothing."""
    import re
    import unicodedata

    from core.text import strip_unsafe

    spaces = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = strip_unsafe(text)
    lines = [spaces.sub(" ", line).strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()[:limit]


# Characters each path of clean_text treats specially: spaces of every kind, line breaks,
# controls, escapes, bidi and format characters (kept and removed), a combining accent.
_TRICKY = list(
    "ab \t\n\r\u00a0\u3000\u2028\u200b\u200d\u200e\u202e\u2066\ufeff\x0c\x1b[m\x9b.é\u0301"
)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(_TRICKY)))
def test_clean_text_fast_paths_match_the_line_by_line_definition(text: str) -> None:
    from core.text import clean_text

    assert clean_text(text) == _reference_clean_text(text)


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_clean_text_matches_the_definition_on_any_text(text: str) -> None:
    from core.text import clean_text

    assert clean_text(text) == _reference_clean_text(text)
    assert clean_text(text, limit=5) == _reference_clean_text(text, limit=5)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab  .é\u0301\n\r"))))
def test_clean_text_of_plain_prose_matches_the_definition(text: str) -> None:
    """Text with nothing to strip (the fast path): only space runs and blank lines fold."""
    from core.text import clean_text

    assert clean_text(text) == _reference_clean_text(text)


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("ab  .é\u0301\n\r\t\x07"))), st.sampled_from([None, 5])
)
def test_clean_plain_is_clean_text_of_the_text_it_is_given(text: str, limit: int | None) -> None:
    """clean_plain skips clean_text's checks: for the text they pass, it gives the same."""
    import unicodedata

    from core.text import _is_plain, clean_plain, clean_text

    if "\r" not in text and unicodedata.is_normalized("NFC", text) and _is_plain(text):
        assert clean_plain(text, limit) == clean_text(text, limit)


def test_clean_text_folds_space_runs_in_plain_and_hostile_text() -> None:
    from core.text import clean_text

    assert clean_text("  Two  spaces,\n\n\n\nthree   here  ") == "Two spaces,\n\nthree here"
    assert clean_text("nbsp\u00a0and\ttab \x07 bell") == "nbsp and tab bell"


def test_clean_line_turns_every_kind_of_line_break_into_one_space() -> None:
    from core.text import clean_line

    assert clean_line("Town\r\nfalls\rto\nthe army") == "Town falls to the army"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from([*_TRICKY, "Z", "1"])) | st.text(max_size=30))
def test_clean_line_matches_the_definition(text: str) -> None:
    from core.text import clean_line

    one_line = text.replace("\r", " ").replace("\n", " ")
    assert clean_line(text) == _reference_clean_text(one_line)
    assert clean_line(text, limit=3) == _reference_clean_text(one_line, limit=3)
