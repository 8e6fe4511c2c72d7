"""Delivery rules shared by the dispatcher and the channels: the idempotency key, and the
one rule set that decides, right before a send, whether a post may go out now.

:func:`check_send` is the only send-time check: the dispatcher calls it for every post it
is about to send, and the tests exercise it through the dispatcher. Its outcome::

    SEND        everything holds: send the stored variant, with these very picture bytes
    HOLD        the account's queue is paused: stays queued, due as it was
    RESCHEDULE  a scheduling rule (window, freeze, quota, spacing, embargo) says later
    CANCEL      it must not go, and nothing is wrong: the account is no longer active,
                the draft moved on to another version, the item expired
    FAIL        what would go out is not what was signed: approvals missing, out of
                order, on other content or against the separation of duties; the stored
                variant or its pictures differ from the hashes pinned at 三校 and 终审

Whether a refused post is cancelled or failed follows from the kind of refusal
(:data:`VERDICT_OF`), never from the words of its reason.

What only the platform or the account's credentials can tell comes after this check, from
the channel: :class:`~domain.errors.AccountHeld` (a daily quota used up, an IP address not
whitelisted, a webhook without a signing secret, Weibo without ``rip`` or its login, a
WeChat account without its appid and appsecret) holds the account's posts like HOLD does —
until the given time, or in a paused queue — and the paused queue is then HOLD here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, tzinfo
from enum import StrEnum
from typing import Any

from domain import scheduling
from domain.accounts import AccountState
from domain.drafts import DraftState
from domain.gates import Approval as GateApproval
from domain.gates import Workflow, approvals_complete, separation_breach
from domain.hashing import hash_value, sha256_hex
from domain.reasons import reason

_KEY = re.compile(r"^mp-(\d+)-[0-9a-f]{16}$")


def idempotency_key(post_id: int, variant_hash: str) -> str:
    """The key every attempt of one post carries: the post and the exact variant."""
    return f"mp-{post_id}-{variant_hash[:16]}"


def post_id_of(key: str) -> int | None:
    """The post an idempotency key belongs to, or None for a key of another form."""
    match = _KEY.match(key or "")
    return int(match.group(1)) if match else None


# -- what a stored variant hashes to ------------------------------------------------------
def variant_hash(payload: Mapping[str, Any], pictures: Mapping[str, bytes]) -> str | None:
    """The hash of the variant rebuilt from a stored payload and the stored picture bytes:
    each picture's reference is made again from its bytes (SHA-256 and size), so a picture
    whose bytes changed gives another hash. None when a picture is missing.

    Equals ``channels.base.Variant.from_payload(payload, pictures).hash`` (a contract test
    holds the two together)."""
    images = []
    for ref in payload.get("images", []):
        data = pictures.get(ref.get("sha256", ""))
        if data is None:
            return None
        images.append({**ref, "sha256": sha256_hex(data), "bytes": len(data)})
    return hash_value({**payload, "images": images})


# -- the facts a send is decided on --------------------------------------------------------
class Verdict(StrEnum):
    SEND = "send"
    HOLD = "hold"
    RESCHEDULE = "reschedule"
    CANCEL = "cancel"
    FAIL = "fail"


class Refusal(StrEnum):
    """Why a post does not go now (the rules of :func:`check_send`, in the order checked)."""

    PAUSED = "paused"  # the account's queue is paused after repeated failures
    ACCOUNT = "account"  # the account is suspended, closing or closed
    SUPERSEDED = "superseded"  # the draft is no longer signed at the post's version
    EXPIRED = "expired"  # past the item's expiry, or no slot left before it
    UNSIGNED = "unsigned"  # the approvals on record do not sign this version
    ALTERED = "altered"  # the bytes to send differ from the bytes signed
    SCHEDULE = "schedule"  # window, freeze, quota, spacing, embargo or due time: later


VERDICT_OF: dict[Refusal, Verdict] = {
    Refusal.PAUSED: Verdict.HOLD,
    Refusal.ACCOUNT: Verdict.CANCEL,
    Refusal.SUPERSEDED: Verdict.CANCEL,
    Refusal.EXPIRED: Verdict.CANCEL,
    Refusal.UNSIGNED: Verdict.FAIL,
    Refusal.ALTERED: Verdict.FAIL,
    Refusal.SCHEDULE: Verdict.RESCHEDULE,
}

POST_STATE_OF: dict[Verdict, str] = {
    Verdict.HOLD: "queued",
    Verdict.RESCHEDULE: "queued",
    Verdict.CANCEL: "cancelled",
    Verdict.FAIL: "failed",
}


@dataclass(frozen=True)
class Ruling:
    """What becomes of a post now. ``refusal`` is None for a send; ``rule`` names the
    scheduling rule for a reschedule; ``at`` is the new due time of a reschedule."""

    verdict: Verdict
    refusal: Refusal | None = None
    reason: str = ""
    rule: str = ""
    at: datetime | None = None

    @property
    def post_state(self) -> str | None:
        """The post's state after this ruling (None: it is being sent)."""
        return POST_STATE_OF.get(self.verdict)


def _refuse(refusal: Refusal, why: str, **kwargs: Any) -> Ruling:
    return Ruling(VERDICT_OF[refusal], refusal, why, **kwargs)


SEND = Ruling(Verdict.SEND)


@dataclass(frozen=True)
class Approval:
    """An approval on record for the post's version in the draft's current round."""

    gate: str
    actor_id: int
    content_hash: str  # of the version the approver saw
    variant_hashes: Mapping[str, str] | None = None  # pinned per channel (三校, 终审)


@dataclass(frozen=True)
class Signed:
    """The draft as it stands, and what was signed, for the post's version."""

    draft_id: int
    draft_state: DraftState
    current_version: int  # the draft's version now
    version: int  # the version the post was made from
    content_hash: str  # that version's content hash
    author_id: int
    approvals: tuple[Approval, ...]  # in gate order


@dataclass(frozen=True)
class Stored:
    """The variant the post would send, as stored: its row and its pictures' bytes."""

    channel: str  # the variant's channel
    of_version: bool  # the variant row belongs to the post's version
    row_hash: str  # the hash stored beside the payload
    payload: Mapping[str, Any]
    pictures: Mapping[str, bytes] = field(default_factory=dict)  # by the SHA-256 named


def signed_off(workflow: Workflow, signed: Signed) -> str | None:
    """Why the approvals on record do not sign the post's version, or None when they do:
    every gate approved in order, each on this version's content, by people the separation
    of duties allows (the author passes no gate; three different reviewers)."""
    gates = [a.gate for a in signed.approvals]
    if not approvals_complete(
        workflow, [GateApproval(a.gate, a.actor_id) for a in signed.approvals]
    ):
        missing = [g.title for g in workflow.gates if g.key not in gates]
        if missing:
            return reason("gates_missing", gates=", ".join(missing))
        return reason("gates_out_of_order")
    replayed: list[GateApproval] = []
    for approval in signed.approvals:
        gate = workflow.by_key(approval.gate)
        if approval.content_hash != signed.content_hash:
            return reason("other_content", gate=gate.title)
        breach = separation_breach(
            workflow,
            gate=gate,
            actor_id=approval.actor_id,
            author_id=signed.author_id,
            approvals=replayed,
        )
        if breach:
            rule, passed = breach
            return reason(f"separation_{rule}", gate=gate.title, passed=passed and passed.title)
        replayed.append(GateApproval(approval.gate, approval.actor_id))
    return None


def altered(workflow: Workflow, signed: Signed, stored: Stored, channel: str) -> str | None:
    """Why the stored variant (and its pictures) is not what 三校 and 终审 signed for
    ``channel``, or None when it is, byte for byte."""
    if stored.channel != channel or not stored.of_version:
        return reason("not_the_signed_variant", channel=channel, version=signed.version)
    rebuilt = variant_hash(stored.payload, stored.pictures)  # one hash over text and bytes
    if rebuilt != stored.row_hash:
        if hash_value(dict(stored.payload)) != stored.row_hash:
            return reason("hash_mismatch", channel=channel)
        if rebuilt is None:
            return reason("picture_missing", channel=channel)
        return reason("pictures_differ", channel=channel)
    pinning = [
        (workflow.by_key(a.gate), a)
        for a in signed.approvals
        if workflow.by_key(a.gate).pins_variants
    ]
    if len(pinning) < sum(1 for g in workflow.gates if g.pins_variants):
        return reason("never_signed", channel=channel)
    for gate, approval in pinning:
        if (approval.variant_hashes or {}).get(channel) != rebuilt:
            return reason("differs_from_signed", channel=channel, gate=gate.title)
    return None


def check_send(
    *,
    now: datetime,
    account_state: AccountState,
    paused: bool,
    channel: str,
    signed: Signed,
    stored: Stored,
    post: scheduling.Post,
    policy: scheduling.AccountPolicy,
    freezes: Sequence[scheduling.Freeze],
    tz: tzinfo,
    workflow: Workflow,
    sent: Callable[[], Iterable[datetime]] = lambda: (),
) -> Ruling:
    """Decide, right before a send, what becomes of a post (see the module docstring).

    ``sent`` gives the account's other posts already sent or being sent; it is called only
    when the policy has a quota, a platform limit or a spacing to count them against."""
    if paused:
        return _refuse(Refusal.PAUSED, reason("paused"))
    if account_state is not AccountState.ACTIVE:
        return _refuse(
            Refusal.ACCOUNT,
            reason("account", account_id=post.account_id, state=account_state.value),
        )
    if signed.draft_state is not DraftState.APPROVED:
        return _refuse(
            Refusal.SUPERSEDED,
            reason("draft_not_approved", draft_id=signed.draft_id, state=signed.draft_state.value),
        )
    if signed.current_version != signed.version:
        return _refuse(
            Refusal.SUPERSEDED,
            reason("draft_changed", draft_id=signed.draft_id, version=signed.current_version),
        )
    unsigned = signed_off(workflow, signed)
    if unsigned:
        return _refuse(Refusal.UNSIGNED, unsigned)
    changed = altered(workflow, signed, stored, channel)
    if changed:
        return _refuse(Refusal.ALTERED, changed)
    if post.expires is not None and post.expires < now:
        return _refuse(Refusal.EXPIRED, reason("post_expired"))
    constrained = (
        policy.windows
        or policy.spacing
        or policy.quotas
        or freezes
        or post.not_before > now
        or post.due > now
    )
    if not constrained:  # the website and webhooks: no window, spacing, quota or freeze
        return SEND
    decision = scheduling.check_send(
        now,
        policy,
        post,
        sent=sent() if policy.spacing or policy.quotas else (),
        freezes=freezes,
        tz=tz,
        state=account_state,
    )
    if decision.action is scheduling.SendAction.RESCHEDULE:
        return _refuse(
            Refusal.SCHEDULE,
            reason("rescheduled", reason=decision.reason),
            rule=decision.rule,
            at=decision.at,
        )
    if decision.action is scheduling.SendAction.CANCEL:
        return _refuse(
            Refusal.EXPIRED, reason("cancelled", reason=decision.reason), rule=decision.rule
        )
    return SEND
