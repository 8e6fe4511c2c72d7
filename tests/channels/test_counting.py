"""Lengths in each platform's unit (PLATFORMS.md, channels/counting.py's docstring).

- chars: one per character (WeChat counts 汉字, letters and digits alike);
- weibo: one per non-ASCII character, two ASCII characters count as one, rounded up;
- utf16-ascii-half (小红书): UTF-16 code units — an emoji outside the BMP is two — with
  two ASCII characters counting as one, rounded up.
"""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from channels.base import CountUnit
from channels.counting import _joins_previous, count, cut_to

UNITS = list(CountUnit)


@pytest.mark.parametrize(
    ("text", "chars", "weibo", "xhs"),
    [
        ("", 0, 0, 0),
        ("a", 1, 1, 1),  # half a unit rounds up
        ("ab", 2, 1, 1),
        ("abc", 3, 2, 2),  # the docstring's example
        ("微博a", 3, 3, 3),  # the docstring's example: 2 + ½ → 3
        ("微博", 2, 2, 2),
        ("春运2025", 6, 4, 4),  # digits are ASCII: 2 + 4×½
        ("Hello 世界", 8, 5, 5),  # 6 ASCII (space included) = 3, plus 2
        ("😀", 1, 1, 2),  # outside the BMP: one character, two UTF-16 units
        ("春运😀", 3, 3, 4),
        ("a😀", 2, 2, 3),  # ½ + 2 → 3
        ("ＡＢ", 2, 2, 2),  # full-width letters are not ASCII
        ("é", 1, 1, 1),  # Latin-1 is not ASCII either
        ("\n\n", 2, 1, 1),  # line breaks are ASCII
        ("·", 1, 1, 1),  # the middle dot in transliterated names (U+00B7)
    ],
)
def test_count_per_unit(text: str, chars: int, weibo: int, xhs: int) -> None:
    assert count(text, CountUnit.CHARS) == chars
    assert count(text, CountUnit.WEIBO) == weibo
    assert count(text, CountUnit.UTF16_ASCII_HALF) == xhs


def test_unit_may_be_given_by_name() -> None:
    assert count("abc", "weibo") == 2
    assert count("😀", "utf16-ascii-half") == 2
    with pytest.raises(ValueError):
        count("abc", "bytes")


@pytest.mark.parametrize(
    ("text", "weibo"),
    [
        ("https://e.cn/1", 10),  # 14 bytes, counted as 20 half-units whatever its length
        ("见 https://www.example.gov.cn/news/41/index.html", 12),  # 2 + 1 + 20 halves
        ("http://x.gov.cn/a" + "b" * 123, 10),  # exactly 140 bytes: still 20
        ("http://x.gov.cn/a" + "b" * 183, 40),  # 200 bytes: 20 + the 60 beyond 140
        ("a https://e.cn/1 b https://e.cn/2", 23),  # 1 + 1 + 20 + 3 + 20 halves → 23
        ("https://", 4),  # no host: not a URL, eight ASCII characters
    ],
)
def test_weibo_counts_each_url_as_twenty_half_units(text: str, weibo: int) -> None:
    # Sina's counter as copied by third-party clients (PLATFORMS.md, [S]).
    assert count(text, CountUnit.WEIBO) == weibo
    assert count(text, CountUnit.CHARS) == len(text)


def test_weibo_140_limit_examples() -> None:
    assert count("字" * 140, CountUnit.WEIBO) == 140
    assert count("a" * 280, CountUnit.WEIBO) == 140
    assert count("a" * 281, CountUnit.WEIBO) == 141


def test_xiaohongshu_title_limit_examples() -> None:
    unit = CountUnit.UTF16_ASCII_HALF
    assert count("小" * 20, unit) == 20
    assert count("x" * 40, unit) == 20
    assert count("😀" * 10, unit) == 20
    assert count("😀" * 10 + "a", unit) == 21


@pytest.mark.parametrize(
    ("text", "limit", "unit", "expected"),
    [
        ("微博abc", 3, CountUnit.WEIBO, "微博ab"),  # "微博ab" is 3, "微博abc" is 4
        ("微博abc", 10, CountUnit.WEIBO, "微博abc"),  # fits: unchanged
        ("abcdef", 2, CountUnit.WEIBO, "abcd"),
        ("😀😀", 3, CountUnit.UTF16_ASCII_HALF, "😀"),
        ("😀😀", 3, CountUnit.WEIBO, "😀😀"),
        ("公众号摘要", 3, CountUnit.CHARS, "公众号"),
        ("abc", 0, CountUnit.CHARS, ""),
        ("", 0, CountUnit.WEIBO, ""),
    ],
)
def test_cut_to(text: str, limit: int, unit: CountUnit, expected: str) -> None:
    assert cut_to(text, limit, unit) == expected


text_strategy = st.text(
    alphabet=st.one_of(
        st.characters(min_codepoint=32, max_codepoint=126),  # ASCII
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF),  # CJK
        st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),  # emoji, outside the BMP
        st.sampled_from("，。！？“”\n\u00b7\u200d\ufe0f"),
    ),
    max_size=60,
)


@given(text=text_strategy)
def test_count_matches_the_rules(text: str) -> None:
    ascii_n = sum(1 for ch in text if ord(ch) < 128)
    astral = sum(1 for ch in text if ord(ch) > 0xFFFF)
    other = len(text) - ascii_n - astral
    assert count(text, CountUnit.CHARS) == len(text)
    assert count(text, CountUnit.WEIBO) == math.ceil((ascii_n + 2 * (other + astral)) / 2)
    assert count(text, CountUnit.UTF16_ASCII_HALF) == math.ceil(
        (ascii_n + 2 * other + 4 * astral) / 2
    )
    utf16_units = len(text.encode("utf-16-le")) // 2
    assert count(text, CountUnit.UTF16_ASCII_HALF) == math.ceil(utf16_units - ascii_n / 2)


@given(
    text=text_strategy, limit=st.integers(min_value=0, max_value=40), unit=st.sampled_from(UNITS)
)
def test_cut_to_is_the_longest_prefix_within_the_limit(
    text: str, limit: int, unit: CountUnit
) -> None:
    cut = cut_to(text, limit, unit)
    assert text.startswith(cut)
    assert count(cut, unit) <= limit
    if cut != text:
        # The next whole visible character (a joined emoji sequence is one) goes over.
        end = len(cut) + 1
        while end < len(text) and _joins_previous(text, end):
            end += 1
        assert count(text[:end], unit) > limit


@given(text=text_strategy, unit=st.sampled_from(UNITS))
def test_count_grows_with_the_text(text: str, unit: CountUnit) -> None:
    counts = [count(text[:i], unit) for i in range(len(text) + 1)]
    assert counts == sorted(counts)
    assert all(b - a <= 2 for a, b in itertools.pairwise(counts))


def test_cut_to_keeps_emoji_sequences_whole() -> None:
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # 👨‍👩‍👧: 8 UTF-16 units
    cut = cut_to("春" + family, 3, CountUnit.UTF16_ASCII_HALF)
    assert cut in ("春", "春" + family)


@pytest.mark.parametrize(
    ("text", "limit", "expected"),
    [
        ("春🇨🇳🇺🇸", 2, "春"),  # flags are pairs of regional indicators
        ("春🇨🇳🇺🇸", 3, "春🇨🇳"),
        ("春❤️好", 2, "春"),  # heart plus variation selector stays whole
        ("春1️⃣好", 3, "春"),  # keycap sequence: 1, VS16, keycap
        ("春1️⃣好", 4, "春1️⃣"),
        ("春👍🏽好", 2, "春"),  # skin tone modifier
        ("春e\u0301好", 2, "春"),  # combining accent
    ],
)
def test_cut_to_never_splits_a_visible_character(text: str, limit: int, expected: str) -> None:
    assert cut_to(text, limit, CountUnit.CHARS) == expected
