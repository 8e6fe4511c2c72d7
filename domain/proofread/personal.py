"""个人信息: resident ID numbers, mainland mobile numbers and bank card numbers.

Published text must not carry them unmasked, so each is a blocking finding whose
suggestion is the masked form. Only candidates that validate are reported:

* 居民身份证号码 (GB 11643-1999): 18 characters, a plausible birth date in
  positions 7-14 and the ISO 7064 MOD 11-2 check character (0-9 or X) last.
* 手机号码: 1[3-9] and 9 more digits, written plain or as 138-1234-5678 /
  138 1234 5678 (+86 in front is fine).
* 银行卡号: 16-19 digits passing the Luhn check, plain or in groups of four;
  an 18-digit run that is a valid ID number is reported as an ID number only.

A number written after a word that names it (身份证号, 护照, 手机, 卡号, 车牌, QQ……) is
read by an anchored rule even where the checks above do not take it: an ID number
whose check character does not hold or of the old 15 digits, a mobile number with mixed
separators, a passport number; and, as warnings (a unit may publish its own), a card
or account number that fails the Luhn check, a licence plate, an e-mail address at a
public mail service, a QQ number, a home address down to its room (…幢…单元…室). These
are what government publishing masks (个人信息保护法 第二十八条, the sensitive personal
information of 政府信息公开).

None of them may be part of a longer digit run. Candidates are found on the
digit shape of the text (:mod:`domain.proofread.scan`): every number worth a look
contains 11 digits in a row or a "000-0000-0000" group; only those windows are
matched with the precise regex.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from operator import mul

from domain.proofread.links import inside_any, url_spans
from domain.proofread.model import BLOCK, WARN, Finding, new_finding
from domain.proofread.scan import digit_shape

CATEGORY = "personal_data"

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"  # check character for (weighted sum mod 11) = 0..10

# The lookbehind keeps a match from starting inside a longer digit run; each
# branch ends with its own "no digit follows" check. Separated forms must use
# the same separator throughout (backreference).
_CANDIDATE = re.compile(
    r"(?<![0-9])(?:"
    r"(?P<run>[0-9]{11,19})(?P<x>[Xx])?(?![0-9Xx])"
    r"|(?P<phone>1[3-9][0-9](?P<psep>[- ])[0-9]{4}(?P=psep)[0-9]{4})(?![0-9])"
    r"|(?P<card>[0-9]{4}(?P<csep>[- ])[0-9]{4}(?P=csep)[0-9]{4}(?P=csep)[0-9]{4}"
    r"(?:(?P=csep)[0-9]{1,3})?)(?![0-9])"
    r")"
)
_PHONE = re.compile(r"1[3-9][0-9]{9}\Z")

# In the digit shape, every candidate contains 11 digits in a row, or "000-0000-0000"
# or "000 0000 0000": all of them hold "0000" and then 7 digits, or "-" or " " and 4
# digits. One literal-led pass finds them (and some runs that hold none, whose
# windows yield nothing), each with the rest of its run.
_TRIGGER = re.compile(rb"0000(?:0000000|[- ]0000)[0X\- ]*")
_RUN = frozenset(b"0X- ")


def candidate_windows(shape: bytes) -> list[tuple[int, int]]:
    """Maximal runs of digits, X, "-" and " " that may hold a candidate, sorted: every
    run with a trigger, and some without one (on which the precise regex finds nothing).

    Running the precise regex on such a window gives the same matches as on the
    whole text: the lookbehind still sees before the window, and the character
    after it is not a digit, so the lookaheads agree too.
    """
    windows = set()
    for m in _TRIGGER.finditer(shape):
        start = m.start()
        while start > 0 and shape[start - 1] in _RUN:
            start -= 1
        windows.add((start, m.end()))
    return sorted(windows)


def id_check_char(first17: str) -> str:
    """The GB 11643-1999 check character for the first 17 digits (ISO 7064 MOD 11-2)."""
    if len(first17) != len(_ID_WEIGHTS):
        raise ValueError(f"an ID number has 17 digits before its check character: {first17!r}")
    return _ID_CHECK[sum(map(mul, map(int, first17), _ID_WEIGHTS)) % 11]


def is_valid_id_number(value: str) -> bool:
    """True for an 18-character resident ID number with a real birth date and check char."""
    if len(value) != 18 or not value[:17].isdigit() or value[0] == "0":
        return False
    if not value[:17].isascii():
        return False
    try:
        born = date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return False
    # Without a clock a future birth date cannot be ruled out; a century range is
    # what makes a random 18-digit run pass as an ID number unlikely.
    if not 1900 <= born.year <= 2099:
        return False
    return id_check_char(value[:17]) == value[17].upper()


def luhn_ok(digits: str) -> bool:
    """The Luhn (mod 10) check used by bank card numbers."""
    backwards = digits[::-1]
    kept = sum(map(int, backwards[::2]))
    doubled = sum(map(_LUHN_DOUBLED.__getitem__, map(int, backwards[1::2])))
    return (kept + doubled) % 10 == 0


_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)  # 2d, less 9 when over 9


def mask(value: str, keep_start: int, keep_end: int = 4) -> str:
    """Replace the digits between the first ``keep_start`` and last ``keep_end`` with *.

    Separators stay where they are: ``138-1234-5678`` -> ``138-****-5678``.
    """
    if value.isalnum():  # no separators: the common case, and a cheap one
        hidden = len(value) - keep_start - keep_end
        return value[:keep_start] + "*" * hidden + value[keep_start + hidden :]
    positions = [i for i, ch in enumerate(value) if ch.isalnum()]
    hidden_at = set(positions[keep_start : len(positions) - keep_end])
    return "".join("*" if i in hidden_at else ch for i, ch in enumerate(value))


def _finding(
    start: int, value: str, kind: str, masked: str | None, label: str, severity: str = BLOCK
) -> Finding:
    message = (
        f"包含未脱敏的{label}，发布前请删除或脱敏"
        if severity == BLOCK
        else f"疑似包含未脱敏的{label}，属个人信息的，发布前请删除或脱敏"
    )
    return new_finding(
        CATEGORY, severity, start, start + len(value), value, masked, message, f"{CATEGORY}:{kind}"
    )


def check_personal_data(
    text: str,
    skip: Sequence[tuple[int, int]] | None = None,
    shape: bytes | None = None,
) -> list[Finding]:
    """ID, mobile and bank card numbers in ``text``.

    ``skip``: sorted spans to ignore; by default the URLs of the text (article ids
    in links are not card numbers). ``shape``: :func:`~domain.proofread.scan.digit_shape`
    of the text, if the caller has it already.
    """
    findings: list[Finding] = []
    windows = candidate_windows(shape if shape is not None else digit_shape(text))
    if not windows:
        return findings
    skipped = inside_any(url_spans(text) if skip is None else skip)
    for window in windows:
        findings.extend(_window_findings(text, *window, skipped))
    return findings


def _window_findings(
    text: str, window_start: int, window_end: int, skipped: Callable[[int], bool]
) -> list[Finding]:
    findings = []
    for m in _CANDIDATE.finditer(text, window_start, window_end):
        start = m.start()
        if skipped(start):
            continue
        value = m.group()
        run = m.group("run")
        if run is not None:
            if len(value) == 18 and is_valid_id_number(value):
                findings.append(_finding(start, value, "id_number", mask(value, 6), "身份证号码"))
            elif m.group("x"):
                continue  # a digit run ending in X that is not an ID number
            elif _PHONE.match(run):
                findings.append(_finding(start, value, "mobile", mask(value, 3), "手机号码"))
            elif run.startswith(("86", "0086")) and _PHONE.match(run.removeprefix("00")[2:]):
                findings.append(_finding(start, value, "mobile", mask(value, 5), "手机号码"))
            elif len(run) >= 16 and luhn_ok(run):
                findings.append(_finding(start, value, "bank_card", mask(value, 6), "银行卡号"))
        elif m.group("phone") is not None:
            findings.append(_finding(start, value, "mobile", mask(value, 3), "手机号码"))
        else:
            digits = value.replace(m.group("csep"), "")
            if luhn_ok(digits):
                findings.append(_finding(start, value, "bank_card", mask(value, 6), "银行卡号"))
    return findings


def check_id_numbers(text: str) -> list[Finding]:
    """Only the resident ID number findings of :func:`check_personal_data`."""
    return [f for f in check_personal_data(text) if f.rule.endswith(":id_number")]


def check_mobile_numbers(text: str) -> list[Finding]:
    """Only the mobile number findings of :func:`check_personal_data`."""
    return [f for f in check_personal_data(text) if f.rule.endswith(":mobile")]


def check_bank_cards(text: str) -> list[Finding]:
    """Only the bank card findings of :func:`check_personal_data`."""
    return [f for f in check_personal_data(text) if f.rule.endswith(":bank_card")]


# -- numbers after the word that names them ---------------------------------------------
_AFTER_REACH = 12  # how far after its word a number may start (身份证号码为：…)
_GAP = rf"[^0-9\n]{{0,{_AFTER_REACH}}}?(?<![0-9])"  # what may stand between word and number
_ID_AFTER = re.compile(_GAP + r"([0-9](?:[0-9 ]{13,20})[0-9Xx])(?![0-9Xx])")
_MOBILE_AFTER = re.compile(_GAP + r"((?:\+?86[- ]?)?1[3-9][0-9](?:[-. ]?[0-9]){8})(?![0-9])")
_PASSPORT_AFTER = re.compile(
    rf"[^A-Za-z0-9\n]{{0,{_AFTER_REACH}}}?([A-Z]{{1,2}}[0-9]{{7,8}})(?![0-9])"
)
_CARD_AFTER = re.compile(_GAP + r"([0-9](?:[0-9 -]{14,24})[0-9])(?![0-9])")
_PLUS_86 = re.compile(r"\+?(?:00)?86[- ]?")
_QQ_AFTER = re.compile(r"[^0-9\n]{0,6}?(?<![0-9])([1-9][0-9]{4,10})(?![0-9])")
_PLATE = re.compile(r"[·• ]?[A-HJ-NP-Z0-9]{5,6}(?![A-Za-z0-9])")
_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_MAIL_LOCAL = re.compile(r"[A-Za-z0-9._-]{1,64}\Z")
_ROOM = re.compile(
    r"[0-9一二三四五六七八九十]{1,3}(?:幢|栋|号楼)[0-9一二三四五六七八九十]{1,2}单元[0-9]{2,4}(?:室|号)?"
)


def _number_after(
    text: str, start: int, end: int, pattern: re.Pattern[str], words: tuple[str, ...], longest: int
) -> re.Match[str] | None:
    """The number ``pattern`` finds right after a word of ``words`` at [start, end), unless
    another of the words stands before the number (身份证件号码: the last one reports it)."""
    m = pattern.match(text, end, end + _AFTER_REACH + longest)
    if m is None:
        return None
    for word in words:
        if text.find(word, start + 1, m.start(1)) != -1:
            return None
    return m


_ID_WORDS = ("身份证", "公民身份号码", "证件号")
_MOBILE_WORDS = ("手机", "电话", "联系方式", "联系人")
_CARD_WORDS = ("卡号", "银行卡", "银行账号", "账号为", "账号：", "账户")


def _id_after(text: str, start: int, end: int) -> Finding | None:
    m = _number_after(text, start, end, _ID_AFTER, _ID_WORDS, 30)
    if m is None:
        return None
    value = m.group(1)
    digits = value.replace(" ", "")
    if len(digits) not in (15, 18) or (len(digits) == 15 and not digits.isdigit()):
        return None
    if digits == value and len(value) == 18 and is_valid_id_number(value):
        return None  # the ID number check reports it
    return _finding(m.start(1), value, "id_number", mask(value, 6), "身份证号码")


def _mobile_after(text: str, start: int, end: int) -> Finding | None:
    m = _number_after(text, start, end, _MOBILE_AFTER, _MOBILE_WORDS, 20)
    if m is None:
        return None
    value = m.group(1)
    if _CANDIDATE.fullmatch(value) or _CANDIDATE.fullmatch(_PLUS_86.sub("", value, count=1)):
        return None  # plain or evenly separated: the mobile number check reports it
    if value.lstrip("+").isdigit():
        return None  # 86 and the number in one run: reported by that check too
    return _finding(m.start(1), value, "mobile", mask(value, 3), "手机号码")


def _passport_after(text: str, start: int, end: int) -> Finding | None:
    m = _PASSPORT_AFTER.match(text, end, end + _AFTER_REACH + 12)
    if m is None:
        return None
    value = m.group(1)
    return _finding(m.start(1), value, "passport", mask(value, 1, 2), "护照号码")


def _warning(start: int, value: str, kind: str, masked: str | None, label: str) -> Finding:
    """A finding that a unit may publish of its own: shown, not blocking."""
    return _finding(start, value, kind, masked, label, WARN)


def _card_after(text: str, start: int, end: int) -> Finding | None:
    m = _number_after(text, start, end, _CARD_AFTER, _CARD_WORDS, 30)
    if m is None:
        return None
    value = m.group(1)
    digits = value.replace(" ", "").replace("-", "")
    if not 16 <= len(digits) <= 19 or luhn_ok(digits):
        return None  # a valid card number is reported by the card check
    return _warning(m.start(1), value, "bank_card", mask(value, 6), "银行卡号")


def _qq_after(text: str, start: int, end: int) -> Finding | None:
    if text.startswith("群", end):
        return None  # a QQ group is published to be joined
    m = _QQ_AFTER.match(text, end, end + 20)
    if m is None:
        return None
    value = m.group(1)
    return _warning(m.start(1), value, "qq", mask(value, 2, 2), "QQ号码")


def _plate(text: str, start: int, end: int) -> Finding | None:
    m = _PLATE.match(text, end)
    if m is None or sum(ch.isdigit() for ch in m.group()) < 3:
        return None
    value = text[start : m.end()]
    return _warning(
        start, value, "plate", value[:2] + "*" * (len(value) - 4) + value[-2:], "车牌号码"
    )


def _mailbox(text: str, start: int, end: int) -> Finding | None:
    lo = start
    while lo > 0 and _MAIL_LOCAL.match(text[lo - 1]):
        lo -= 1
    if lo == start:
        return None
    value = text[lo:end]
    return _warning(lo, value, "email", mask(value, 2, len(value) - (start - lo)), "个人邮箱")


def _room(text: str, start: int, end: int) -> Finding | None:
    lo = max(0, start - 8)
    for m in _ROOM.finditer(text, lo, end + 6):
        if m.start() <= start < m.end():
            return _warning(m.start(), m.group(), "address", None, "住址（门牌号）")
    return None


_PUBLIC_MAIL = ("qq.com", "163.com", "126.com", "sina.com", "sina.cn", "sohu.com", "gmail.com",
                "hotmail.com", "outlook.com", "yeah.net", "139.com", "foxmail.com", "aliyun.com",
                "yahoo.com")  # fmt: skip
# Anchor text -> rule, for the checker's automaton (see domain.proofread.context).
PERSONAL_ANCHORS = {
    **dict.fromkeys(_ID_WORDS, _id_after),
    **dict.fromkeys(_MOBILE_WORDS, _mobile_after),
    "护照": _passport_after,
    **dict.fromkeys(_CARD_WORDS, _card_after),
    **dict.fromkeys(("QQ号", "QQ：", "QQ:", "qq号"), _qq_after),
    **{p + letter: _plate for p in _PROVINCES for letter in "ABCDEFGHJKLMNPQRSTUVWXYZ"},
    **{"@" + domain: _mailbox for domain in _PUBLIC_MAIL},
    "单元": _room,
}
