"""Personal data: resident ID, mobile and bank card numbers (all numbers synthetic)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from domain.proofread import (
    Checker,
    check_bank_cards,
    check_id_numbers,
    check_mobile_numbers,
    check_personal_data,
)
from domain.proofread.personal import (
    _window_findings,
    id_check_char,
    is_valid_id_number,
    luhn_ok,
    mask,
)

ID = "330106198503140520"  # check character computed with GB 11643-1999
ID_X = "11010519920718004X"
CARD = "6222021001123456789"  # passes Luhn


def spans(findings: list) -> list[tuple[str, int, str]]:
    return [(f.text, f.start, f.suggestion) for f in findings]


def test_check_character() -> None:
    assert id_check_char(ID[:17]) == "0"
    assert id_check_char(ID_X[:17]) == "X"
    assert is_valid_id_number(ID) and is_valid_id_number(ID_X.lower())
    assert not is_valid_id_number(ID[:17] + "1")  # wrong check character
    assert not is_valid_id_number("330106198502300523")  # 2月30日 does not exist
    assert not is_valid_id_number("330106180001010003")  # born 1800
    assert not is_valid_id_number("０" * 18)


def test_check_character_needs_seventeen_digits() -> None:
    with pytest.raises(ValueError, match="17 digits"):
        id_check_char(ID[:16])


@pytest.mark.parametrize(
    ("digits", "ok"),
    [("79927398713", True), ("79927398710", False), ("4539578763621486", True),
     ("4539578763621487", False), ("6222021001123456789", True), ("0", True)],
)  # fmt: skip
def test_luhn(digits: str, ok: bool) -> None:
    assert luhn_ok(digits) is ok


def test_id_number_is_found_and_masked() -> None:
    text = f"申请人身份证号{ID}，请核对。"
    [finding] = check_id_numbers(text)
    assert (finding.text, finding.start, finding.end) == (ID, 7, 25)
    assert finding.suggestion == "330106********0520"
    assert finding.severity == "block" and finding.rule == "personal_data:id_number"
    assert spans(check_id_numbers(f"证件：{ID_X}。")) == [(ID_X, 3, "110105********004X")]


def test_invalid_id_numbers_are_not_reported() -> None:
    assert check_personal_data(f"编号{ID[:17]}1。") == []
    assert check_personal_data("订单号330106198502300523") == []


@pytest.mark.parametrize(
    ("number", "masked"),
    [
        ("13857106688", "138****6688"),
        ("138-5710-6688", "138-****-6688"),
        ("138 5710 6688", "138 **** 6688"),
        ("19912345678", "199****5678"),
    ],
)
def test_mobile_numbers(number: str, masked: str) -> None:
    text = f"联系人：王女士，手机{number}。"
    [finding] = check_mobile_numbers(text)
    assert (finding.text, finding.start, finding.suggestion) == (number, 10, masked)


@pytest.mark.parametrize(
    "text",
    [
        "电话0571-87001234",  # a landline
        "热线12345，12301",
        "编号213857106688",  # part of a longer digit run
        "12857106688",  # 12x is not a mobile prefix
        "138-5710 6688",  # mixed separators
        "门票60元，接待526.8万人次，同比增长8.6%",
    ],
)
def test_things_that_are_not_mobile_numbers(text: str) -> None:
    assert check_personal_data(text) == []


def test_plus_86_prefix_with_a_space_is_still_a_mobile_number() -> None:
    assert spans(check_mobile_numbers("+86 13857106688")) == [("13857106688", 4, "138****6688")]


def test_bank_cards() -> None:
    [finding] = check_bank_cards(f"汇入{CARD}账户")
    assert (finding.text, finding.start, finding.suggestion) == (CARD, 2, "622202*********6789")
    grouped = "6217 0012 3456 7890 122"
    assert spans(check_bank_cards(f"卡号{grouped}。")) == [(grouped, 2, "6217 00** **** ***0 122")]
    assert check_bank_cards("卡号6222021001123456788") == []  # fails Luhn
    assert check_bank_cards("流水号62220210011234567890") == []  # 20 digits


def test_an_id_number_is_not_also_a_bank_card() -> None:
    assert luhn_ok(ID) or True  # whichever it is, only the ID finding is reported
    assert [f.rule for f in check_personal_data(ID)] == ["personal_data:id_number"]


def test_numbers_inside_links_are_skipped() -> None:
    text = f"详见https://example.gov.cn/a/{CARD}.html，或致电13857106688"
    assert [f.text for f in check_personal_data(text)] == ["13857106688"]
    assert len(check_personal_data(text, skip=())) == 2


def test_mask_keeps_separators() -> None:
    assert mask("138-1234-5678", 3) == "138-****-5678"
    assert mask(ID, 6) == "330106********0520"


# The fast path (windows found on the digit shape) must find exactly what the precise
# regex finds when run over the whole text.
_pieces = st.sampled_from(
    [ID, ID_X, CARD, "13857106688", "138-5710-6688", "138 5710 6688", "6217 0012 3456 7890 122",
     "0", "1", "9", "X", "x", "-", " ", "/", "年", "电话", "\n", "12", "2024", "https://a.cn/",
     "6217-0012-3456-7890"]
)  # fmt: skip


@given(st.lists(_pieces, max_size=12).map("".join))
def test_windowed_search_equals_the_whole_text_regex(text: str) -> None:
    whole_text_as_one_window = _window_findings(text, 0, len(text), lambda _pos: False)
    assert check_personal_data(text, skip=()) == whole_text_as_one_window


@pytest.mark.parametrize(
    ("text", "value", "rule", "severity"),
    [
        # After the word that names it, a number counts even where the plain checks pass it.
        ("身份证号33010619850314052X（校验位不符）", "33010619850314052X", "id_number", "block"),
        ("身份证件号码：330106850314052", "330106850314052", "id_number", "block"),
        ("联系人手机138.5710.6688", "138.5710.6688", "mobile", "block"),
        ("电话 138 5710-6688", "138 5710-6688", "mobile", "block"),
        ("护照号码E12345678", "E12345678", "passport", "block"),
        # And warnings, for what a unit may publish of its own.
        ("银行卡号6222 0210 0112 3456 788", "6222 0210 0112 3456 788", "bank_card", "warn"),
        ("QQ号：123456789", "123456789", "qq", "warn"),
        ("车牌号浙A12345的车辆", "浙A12345", "plate", "warn"),
        ("邮箱zhangsan@163.com", "zhangsan@163.com", "email", "warn"),
        ("家住幸福小区3幢2单元501室", "3幢2单元501室", "address", "warn"),
        # +86 written onto the number.
        ("电话+8613857106688。", "8613857106688", "mobile", "block"),
    ],
)
def test_numbers_after_the_word_that_names_them(
    text: str, value: str, rule: str, severity: str
) -> None:
    found = [f for f in Checker.default().check(text) if f.category == "personal_data"]
    assert [(f.text, f.rule, f.severity) for f in found] == [
        (value, f"personal_data:{rule}", severity)
    ]
    assert found[0].suggestion != value


@pytest.mark.parametrize(
    "text",
    [
        "咨询电话0571-87001234",
        "身份证号330106********0520",
        "QQ群：123456789",
        "展览分为三个单元，共展出文物380件。",
        "邮箱whlj@example.gov.cn",
    ],
)
def test_what_is_not_personal_data_after_its_word(text: str) -> None:
    assert [f for f in Checker.default().check(text) if f.category == "personal_data"] == []
