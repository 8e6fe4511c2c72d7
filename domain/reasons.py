"""Why a post does not go out now, or could not be planned: the reasons of the planner and
of the send-time check, as templates under stable keys with their values apart.

A reason is kept as its English text (a post's ``last_error``, an audit event's data, the
dispatcher's report; ``--json`` and the API show it so), made by :func:`reason` from one of
the templates below. The faces find the template a stored text was made from and say it in
the reader's language (``console/stored.py``): a template's words are messages of the
catalog, and its values — times, counts, names, states — stay apart. Changing a template
changes how older stored texts read: they are then shown as stored.
"""

from __future__ import annotations

from typing import Any


def N_(message: str) -> str:
    """Marks a template for the message catalog (``make catalogs``); a face translates it."""
    return message


REASONS: dict[str, str] = {
    # the planner and the scheduling rules (domain.scheduling)
    "account_state": N_("account is {state}"),
    "account_not_open": N_("account {account_id} is not open for posts"),
    "expired": N_("expired at {when}"),
    "embargo": N_("embargoed until {when}"),
    "not_due": N_("not due until {when}"),
    "no_slot_before_expiry": N_("cannot go out before it expires at {when}: {notes}"),
    "window": N_("outside the posting windows {windows}"),
    "freeze": N_("frozen until {until}: {reason}"),
    "quota_hour": N_("quota of {count} an hour used up for {period}"),
    "quota_day": N_("quota of {count} a day used up for {period}"),
    "quota_month": N_("quota of {count} a month used up for {period}"),
    "spacing_h": N_("posts on this account are kept {n} h apart"),
    "spacing_min": N_("posts on this account are kept {n} min apart"),
    "spacing_s": N_("posts on this account are kept {n} s apart"),
    "stagger_h": N_("this item's posts are staggered {n} h apart"),
    "stagger_min": N_("this item's posts are staggered {n} min apart"),
    "stagger_s": N_("this item's posts are staggered {n} s apart"),
    "then": N_("{first}; then {then}"),  # the rules that pushed a post later, in order
    "no_rule": N_("no rule allows it"),
    "unplaced_embargo": N_("expires at {when}, before its embargo lifts at {lifts}"),
    "unplaced_expired": N_("expires at {when}, before it can be placed"),
    "unplaced_no_slot": N_("no slot before it expires at {when}: {notes}"),
    "unplaced_beyond": N_("not before {when}, beyond the planning horizon"),
    "unplaced_horizon": N_("no slot by {when} (the planning horizon): {notes}"),
    "not_placed": N_("not placed: {reason}"),
    # the send-time check (domain.delivery)
    "paused": N_("the account's queue is paused"),
    "account": N_("account {account_id} is {state}"),
    "draft_not_approved": N_("draft {draft_id} is {state}, no longer approved"),
    "draft_changed": N_("draft {draft_id} changed to version {version} after sign-off"),
    "gates_missing": N_(
        "the approvals on record do not cover every gate in order (missing {gates})"
    ),
    "gates_out_of_order": N_("the approvals on record do not cover every gate in order"),
    "other_content": N_("the {gate} approval was given on other content"),
    # the separation rule an approval breaks (domain.gates.Breach), said of the approver
    "separation_author": N_(
        "the {gate} approval was given by the draft's author, and the author passes no gate "
        "on their own draft"
    ),
    "separation_reviews": N_(
        "the {gate} approval was given by the person who passed {passed} of this version; "
        "the three reviews need three different people"
    ),
    "separation_proofreads": N_(
        "the {gate} approval was given by the person who passed {passed} of this version; "
        "the three proofreads need three different people (三校)"
    ),
    "separation_one_gate": N_(
        "the {gate} approval was given by the person who passed {passed} of this version; "
        "nobody passes two gates of the same version"
    ),
    # as stored before the rule was kept apart: read, no longer written (AS_STORED_BEFORE)
    "separation": N_("the {gate} approval breaks the separation of duties: {problem}"),
    "not_the_signed_variant": N_(
        "the post's variant is not the signed {channel} variant of version {version}"
    ),
    "hash_mismatch": N_("the {channel} variant was altered after sign-off (hash mismatch)"),
    "picture_missing": N_("a picture of the {channel} variant is missing from storage"),
    "pictures_differ": N_(
        "the stored pictures of the {channel} variant differ from the signed ones"
    ),
    "never_signed": N_("the {channel} variant was never signed where it must be"),
    "differs_from_signed": N_("the {channel} variant differs from the one signed at {gate}"),
    "post_expired": N_("the post expired before it could be sent"),
    "rescheduled": N_("rescheduled: {reason}"),
    "cancelled": N_("cancelled: {reason}"),
    "refused": N_("refused before sending: {reason}"),  # flows.delivery, as recorded
}


# Reasons as the send-time check wrote them before each separation rule had its own key:
# the rule as the refusal said it to the approver ("you already passed …"). No longer
# written, and kept as stored; a face recognises them and says the reason under the same
# key as it reads now.
_BEFORE = "the {gate} approval breaks the separation of duties: "
AS_STORED_BEFORE: dict[str, str] = {
    "separation_author": _BEFORE + "the author passes no gate on their own draft",
    "separation_reviews": _BEFORE + "you already passed {passed} of this version; "
    "the three reviews need three different people",
    "separation_proofreads": _BEFORE + "you already passed {passed} of this version; "
    "the three proofreads need three different people (三校)",
    "separation_one_gate": _BEFORE + "you already passed {passed} of this version; "
    "nobody passes two gates of the same version",
}


def reason(key: str, /, **values: Any) -> str:
    """The reason ``key`` with its values filled in, as stored (English)."""
    return REASONS[key].format(**values)


def then_separator() -> str:
    """What stands between two reasons joined by ``then`` (``"; then "``)."""
    return reason("then", first="", then="")
