"""The errors matrixpub raises, and what each means to a user.

    MatrixpubError            base; its message is one line fit to show a person
    ├── InvalidInput          bad values: empty title, oversize body, unreadable image (CLI exit 2)
    ├── NotFound              a referenced draft, account, user or post does not exist (exit 1)
    ├── Refused               the rules do not allow this: role, separation of duties, state,
    │                         closed account (exit 1)
    │   └── Stale             what the person read has changed since: another version, another
    │                         gate (exit 1; HTTP 409 in the web console)
    ├── IntegrityError        stored data fails a check: hash mismatch, broken audit chain (exit 1)
    └── DeliveryError         a channel could not deliver
        ├── TransientDeliveryError   worth retrying later: HTTP 5xx, 429, timeout before sending,
        │                            WeChat -1 (busy)
        ├── PermanentDeliveryError   retrying will not help: bad credentials after a refresh,
        │                            no quota (45028), content rejected (53503)
        │   └── PublishRefused       a status query's final word: the platform took the post
        │                            but did not publish it, or took it down (WeChat
        │                            publish_status 2-6); not an error of the query itself
        ├── OutcomeUnknown           the request may have reached the platform but the answer was
        │                            lost; never resent blindly, reconciled by status or a person
        └── AccountHeld              the post was not published and none of the account's posts
                                     can be until ``until`` (a platform's daily quota, WeChat
                                     45009) or until a person acts (``until`` None: no signing
                                     secret, no rip, the server's IP not whitelisted): the
                                     account's posts wait, with an alert; the post did not fail.
                                     Raised only where the platform certainly did not take the
                                     post (it answered so, or nothing was sent)

Every error carries a message that never contains a credential.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any


class MatrixpubError(Exception):
    """Base of every error matrixpub shows to a user."""

    exit_code = 1

    def __init__(self, message: str, /, **values: Any) -> None:
        # ``message`` may name ``{fields}`` filled from ``values``: the faces find its
        # translation by the message as written, then fill it.
        text = message.format(**values) if values else message
        super().__init__(text)
        self.message = text
        self.template = message
        self.values = values

    def __str__(self) -> str:
        return self.message


class InvalidInput(MatrixpubError):
    exit_code = 2


class NotFound(MatrixpubError):
    pass


class Refused(MatrixpubError):
    pass


class Stale(Refused):
    pass


class IntegrityError(MatrixpubError):
    pass


class DeliveryError(MatrixpubError):
    """A channel failed to deliver. ``code`` is the platform's own error code, if any."""

    transient = False

    def __init__(
        self,
        message: str,
        *,
        code: str | int | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        # What the platform had already accepted (e.g. a WeChat draft's media_id), so a
        # person or a status query can reconcile it. Never credentials.
        self.data: dict[str, Any] = dict(data or {})


class TransientDeliveryError(DeliveryError):
    transient = True

    def __init__(
        self,
        message: str,
        *,
        code: str | int | None = None,
        retry_after: float | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, data=data)
        self.retry_after = retry_after


class PermanentDeliveryError(DeliveryError):
    pass


class PublishRefused(PermanentDeliveryError):
    pass


class OutcomeUnknown(DeliveryError):
    pass


class AccountHeld(DeliveryError):
    """Nothing more can go to this account until ``until`` (UTC), or, when ``until`` is
    None, until a person fixes what ``message`` names. ``kind`` names it for the alert."""

    def __init__(
        self,
        message: str,
        *,
        kind: str,
        until: datetime | None = None,
        code: str | int | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message, code=code, data=data)
        self.kind = kind
        self.until = until
