"""个人信息: resident ID numbers, mainland mobile numbers and bank card numbers.

Published text must not carry them unmasked, so each is a blocking finding whose
suggestion is the masked form. Only candidates that validate are reported:

* 居民身份证号码 (GB 11643-1999): 18 characters, a plausible birth date in
  positions 7-14 and the ISO 7064 MOD 11-2 check character (0-9 or X) last.
* 手机号码: 1[3-9] and 9 more digits, written plain or as 138-1234-5678 /
  138 1234 5678 (+86 in front is fine).
* 银行卡号: 16-19 digits passing the Luhn check, plain or in groups of four;
  an 18-digit run that is a valid ID number is reported as an ID number only.

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
from domain.proofread.model import BLOCK, Finding, new_finding
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


def _finding(start: int, value: str, kind: str, masked: str, label: str) -> Finding:
    return new_finding(
        CATEGORY,
        BLOCK,
        start,
        start + len(value),
        value,
        masked,
        f"包含未脱敏的{label}，发布前请删除或脱敏",
        f"{CATEGORY}:{kind}",
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
