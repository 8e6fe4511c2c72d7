"""The one send-time rule set (``domain.delivery.check_send``) on plain data: every rule,
what each refusal makes of the post, and byte-for-byte checks of the stored variant."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain import scheduling
from domain.accounts import AccountState
from domain.delivery import (
    Approval,
    Refusal,
    Signed,
    Stored,
    Verdict,
    check_send,
    idempotency_key,
    post_id_of,
    variant_hash,
)
from domain.drafts import DraftState
from domain.gates import DEFAULT_WORKFLOW
from domain.hashing import hash_value, sha256_hex

NOW = datetime(2026, 12, 15, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
TZ = ZoneInfo("Asia/Shanghai")
COVER = b"\xff\xd8\xff cover bytes \xff\xd9"
PAYLOAD = {
    "channel": "website",
    "fields": {"title": "关于举办文旅消费季活动的通知", "article_html": "<p>正文</p>"},
    "images": [
        {
            "role": "cover",
            "media_type": "image/jpeg",
            "sha256": sha256_hex(COVER),
            "bytes": len(COVER),
            "width": 1200,
            "height": 800,
            "filename": "cover.jpg",
        }
    ],
    "measures": [],
    "violations": [],
}
HASH = hash_value(PAYLOAD)
CONTENT = "c" * 64
AUTHOR = 2
PEOPLE = {"proofread_1": 3, "review_1": 4, "proofread_2": 5, "review_2": 6, "proofread_3": 7,
          "review_3": 8}  # fmt: skip


def approvals(**changes: object) -> tuple[Approval, ...]:
    out = []
    for gate in DEFAULT_WORKFLOW.gates:
        out.append(
            Approval(
                gate=gate.key,
                actor_id=PEOPLE[gate.key],
                content_hash=CONTENT,
                variant_hashes={"website": HASH} if gate.pins_variants else None,
            )
        )
    return tuple(out)


SIGNED = Signed(
    draft_id=1,
    draft_state=DraftState.APPROVED,
    current_version=2,
    version=2,
    content_hash=CONTENT,
    author_id=AUTHOR,
    approvals=approvals(),
)
STORED = Stored(
    channel="website", of_version=True, row_hash=HASH, payload=PAYLOAD, pictures={
        sha256_hex(COVER): COVER}
)  # fmt: skip
POST = scheduling.Post(item_id=1, account_id=9, due=NOW, not_before=NOW, expires=None)
OPEN = scheduling.AccountPolicy(account_id=9)


def check(**changes: object) -> object:
    args: dict[str, object] = dict(
        now=NOW,
        account_state=AccountState.ACTIVE,
        paused=False,
        channel="website",
        signed=SIGNED,
        stored=STORED,
        post=POST,
        policy=OPEN,
        freezes=(),
        tz=TZ,
        workflow=DEFAULT_WORKFLOW,
    )
    args.update(changes)
    return check_send(**args)  # type: ignore[arg-type]


def test_everything_signed_and_open_sends() -> None:
    assert check().verdict is Verdict.SEND


def test_idempotency_key_names_its_post() -> None:
    assert post_id_of(idempotency_key(42, HASH)) == 42
    assert post_id_of("something-else") is None


@pytest.mark.parametrize(
    ("changes", "refusal", "verdict", "words"),
    [
        ({"paused": True}, Refusal.PAUSED, Verdict.HOLD, "paused"),
        ({"account_state": AccountState.SUSPENDED}, Refusal.ACCOUNT, Verdict.CANCEL, "suspended"),
        ({"account_state": AccountState.CLOSED}, Refusal.ACCOUNT, Verdict.CANCEL, "closed"),
        (
            {"signed": replace(SIGNED, draft_state=DraftState.IN_REVIEW)},
            Refusal.SUPERSEDED,
            Verdict.CANCEL,
            "no longer approved",
        ),
        (
            {"signed": replace(SIGNED, current_version=3)},
            Refusal.SUPERSEDED,
            Verdict.CANCEL,
            "changed to version 3",
        ),
        (
            {"post": replace(POST, expires=NOW - timedelta(minutes=1))},
            Refusal.EXPIRED,
            Verdict.CANCEL,
            "expired",
        ),
        (
            {"signed": replace(SIGNED, approvals=approvals()[:5])},
            Refusal.UNSIGNED,
            Verdict.FAIL,
            "missing 终审 review_3",
        ),
        (
            {"signed": replace(SIGNED, approvals=approvals()[::-1])},
            Refusal.UNSIGNED,
            Verdict.FAIL,
            "in order",
        ),
        (
            {"signed": replace(SIGNED, content_hash="d" * 64)},
            Refusal.UNSIGNED,
            Verdict.FAIL,
            "given on other content",
        ),
        (
            {"stored": replace(STORED, row_hash="e" * 64)},
            Refusal.ALTERED,
            Verdict.FAIL,
            "hash mismatch",
        ),
        (
            {"stored": replace(STORED, pictures={sha256_hex(COVER): COVER + b"x"})},
            Refusal.ALTERED,
            Verdict.FAIL,
            "stored pictures",
        ),
        ({"stored": replace(STORED, pictures={})}, Refusal.ALTERED, Verdict.FAIL, "missing"),
        ({"stored": replace(STORED, of_version=False)}, Refusal.ALTERED, Verdict.FAIL, "not the"),
        ({"channel": "webhook"}, Refusal.ALTERED, Verdict.FAIL, "not the signed webhook"),
    ],
)
def test_each_refusal_decides_what_becomes_of_the_post(
    changes: dict[str, object], refusal: Refusal, verdict: Verdict, words: str
) -> None:
    ruling = check(**changes)
    assert (ruling.refusal, ruling.verdict) == (refusal, verdict)
    assert words in ruling.reason
    assert (
        ruling.post_state
        == {
            Verdict.HOLD: "queued",
            Verdict.CANCEL: "cancelled",
            Verdict.FAIL: "failed",
        }[verdict]
    )


def test_the_kind_of_refusal_decides_not_its_words() -> None:
    """A refusal whose reason happens to say "account" or "expired" is still judged by its
    kind: an altered variant fails, however its channel or reason reads."""
    stored = replace(STORED, channel="account-expired", row_hash="e" * 64)
    ruling = check(channel="account-expired", stored=stored)
    assert (ruling.refusal, ruling.post_state) == (Refusal.ALTERED, "failed")


@pytest.mark.parametrize("gate", ["proofread_3", "review_3"])
def test_a_variant_differing_from_a_pinned_hash_fails(gate: str) -> None:
    changed = tuple(
        replace(a, variant_hashes={"website": "f" * 64}) if a.gate == gate else a
        for a in approvals()
    )
    ruling = check(signed=replace(SIGNED, approvals=changed))
    assert (
        ruling.refusal is Refusal.ALTERED
        and f"signed at {DEFAULT_WORKFLOW.by_key(gate).title}" in ruling.reason
    )


def test_a_variant_never_pinned_fails() -> None:
    unpinned = tuple(replace(a, variant_hashes=None) for a in approvals())
    ruling = check(signed=replace(SIGNED, approvals=unpinned))
    assert ruling.refusal is Refusal.ALTERED


def test_separation_of_duties_holds_at_send() -> None:
    by_author = tuple(
        replace(a, actor_id=AUTHOR) if a.gate == "proofread_2" else a for a in approvals()
    )
    ruling = check(signed=replace(SIGNED, approvals=by_author))
    assert ruling.refusal is Refusal.UNSIGNED and "author passes no gate" in ruling.reason
    twice = tuple(
        replace(a, actor_id=PEOPLE["review_1"]) if a.gate == "review_3" else a for a in approvals()
    )
    ruling = check(signed=replace(SIGNED, approvals=twice))
    assert ruling.refusal is Refusal.UNSIGNED and "three reviews need three" in ruling.reason
    one_proofreader = tuple(
        replace(a, actor_id=PEOPLE["proofread_1"]) if a.gate == "proofread_3" else a
        for a in approvals()
    )
    ruling = check(signed=replace(SIGNED, approvals=one_proofreader))
    assert ruling.refusal is Refusal.UNSIGNED and "three proofreads need three" in ruling.reason


def test_scheduling_rules_reschedule() -> None:
    night = scheduling.AccountPolicy(account_id=9, windows=scheduling.parse_windows("18:00-22:00"))
    ruling = check(policy=night)
    assert ruling.verdict is Verdict.RESCHEDULE and ruling.rule == "window"
    assert ruling.at == datetime(2026, 12, 15, 10, 0, tzinfo=UTC)
    freeze = scheduling.Freeze(NOW - timedelta(hours=1), NOW + timedelta(hours=1), "重要会议")
    ruling = check(freezes=(freeze,))
    assert ruling.verdict is Verdict.RESCHEDULE and ruling.rule == "freeze"
    quota = scheduling.AccountPolicy(account_id=9, quota=scheduling.Quota(1, "day"))
    ruling = check(policy=quota, sent=lambda: [NOW - timedelta(hours=1)])
    assert ruling.verdict is Verdict.RESCHEDULE and ruling.rule == "quota"
    assert check(policy=quota).verdict is Verdict.SEND


def test_no_slot_before_expiry_cancels() -> None:
    night = scheduling.AccountPolicy(account_id=9, windows=scheduling.parse_windows("18:00-22:00"))
    post = replace(POST, expires=NOW + timedelta(hours=1))
    ruling = check(policy=night, post=post)
    assert (ruling.refusal, ruling.post_state) == (Refusal.EXPIRED, "cancelled")


def test_variant_hash_covers_the_picture_bytes() -> None:
    pictures = {sha256_hex(COVER): COVER}
    assert variant_hash(PAYLOAD, pictures) == HASH
    assert variant_hash(PAYLOAD, {sha256_hex(COVER): COVER + b"!"}) != HASH
    assert variant_hash(PAYLOAD, {}) is None
