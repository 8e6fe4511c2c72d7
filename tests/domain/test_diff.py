"""What changed between versions, as a reader notices it (domain/diff.py)."""

from __future__ import annotations

from domain.diff import (
    DELETE,
    EQUAL,
    INSERT,
    Span,
    char_diff,
    compare_pictures,
    compare_texts,
    compare_variants,
    read_html,
    set_diff,
    trim,
)

PARAGRAPH = (
    "为深入贯彻落实扩大内需战略，丰富群众节假日文化生活，激发文化和旅游消费活力，"
    "市文化和旅游局决定于2026年12月至2027年2月举办冬季文化和旅游消费季活动。"
)


def test_one_changed_character_is_one_change_not_a_repeated_paragraph() -> None:
    changed = PARAGRAPH.replace("2027年2月", "2027年3月")
    spans = char_diff(PARAGRAPH, changed)
    assert [s for s in spans if s.op != EQUAL] == [Span(DELETE, "2"), Span(INSERT, "3")]
    assert "".join(s.text for s in spans if s.op != INSERT) == PARAGRAPH
    assert "".join(s.text for s in spans if s.op != DELETE) == changed


def test_identical_texts_have_no_change() -> None:
    assert char_diff(PARAGRAPH, PARAGRAPH) == [Span(EQUAL, PARAGRAPH)]
    assert char_diff("", "") == []


def test_long_unchanged_stretches_are_shortened_around_the_change() -> None:
    spans = trim(char_diff(PARAGRAPH * 5, PARAGRAPH * 5 + "补充。"), context=10)
    assert spans[-1] == Span(INSERT, "补充。")
    assert len(spans[0].text) == 11 and spans[0].text.startswith("…")


def test_fields_only_one_side_has_are_compared_with_nothing() -> None:
    diffs = {d.name: d for d in compare_texts({"title": "甲", "summary": "乙"}, {"title": "甲"})}
    assert not diffs["title"].changed
    assert diffs["summary"].changed and diffs["summary"].spans == (Span(DELETE, "乙"),)


def test_html_is_read_as_text_with_its_links_and_pictures() -> None:
    reading = read_html(
        '<section><h2>一、时间</h2><p>详见<a href="https://a.example/1">通知</a>。</p>'
        '<p><img src="image-1.jpg" alt="地图"></p><script>alert(1)</script></section>'
    )
    assert reading.text == "一、时间\n\n详见通知。\n\n[图片：地图]"
    assert reading.links == ("https://a.example/1",)
    assert reading.pictures == ("image-1.jpg",)


def test_a_changed_link_in_a_variant_is_seen_even_when_the_text_reads_the_same() -> None:
    old = {
        "channel": "wechat_oa",
        "fields": {"content": '<p>详见<a href="https://a.example/1">通知</a></p>'},
        "images": [{"role": "cover", "sha256": "aa"}],
    }
    new = {
        "channel": "wechat_oa",
        "fields": {"content": '<p>详见<a href="https://evil.example/1">通知</a></p>'},
        "images": [{"role": "cover", "sha256": "bb"}],
    }
    diff = compare_variants(old, new, old_hash="1", new_hash="2")
    assert diff.changed
    assert not any(f.changed for f in diff.fields)  # the words are the same
    assert diff.links.added == ("https://evil.example/1",)
    assert diff.links.removed == ("https://a.example/1",)
    assert [(p.role, p.old, p.new) for p in diff.pictures] == [("cover", "aa", "bb")]


def test_pictures_and_targets_report_additions_removals_and_replacements() -> None:
    changes = compare_pictures({"封面": "a", "图片 x.jpg": "b"}, {"封面": "c", "图片 y.jpg": "d"})
    assert {(c.role, c.old, c.new) for c in changes} == {
        ("封面", "a", "c"),
        ("图片 y.jpg", None, "d"),
        ("图片 x.jpg", "b", None),
    }
    targets = set_diff(
        ["古城文旅（微信）", "通知公告（网站）"], ["通知公告（网站）", "古城发布（微博）"]
    )
    assert targets.added == ("古城发布（微博）",) and targets.removed == ("古城文旅（微信）",)
