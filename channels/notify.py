"""Telling people: alerts sent to the organisation's notification address, in the words
it is given (:class:`Wording`, and each :class:`Notice` worded already): the sender takes
them from the one message catalog, in the organisation's ``notify_language``. What an
alert is about (:data:`ALERT_KINDS`) and what a notice says of it (:func:`notice_text`)
are message ids kept here, plain data, so the dispatcher says them with the catalog's
loader (:mod:`channels.catalog`) and the console shows the same words (``console.i18n``).

A WeCom (企业微信) group robot is recognised by its address (``.../cgi-bin/webhook/send?
key=...``): it takes ``{"msgtype": "markdown", "markdown": {"content": ...}}`` (at most
4,096 bytes; longer texts go as several messages) and answers ``{"errcode": 0}``; 45009
means more than its 20 messages a minute, 93000 a wrong key. Any other http(s) address
gets a JSON POST ``{"text": ..., "alerts": [...]}`` with an ``Idempotency-Key`` (the
same alerts sent again carry the same key) and must answer 2xx.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, urlsplit

if TYPE_CHECKING:
    import requests

WECOM_LIMIT = 4096  # bytes of markdown content


def N_(message: str) -> str:
    """Marks a message for the catalog (console/locale); :class:`Wording` is translated
    by whoever sends, in the language the organisation chose (``notify_language``)."""
    return message


# What an alert is about, by its kind (sqlmodel_db.alerts and the code that raises them): a
# notice's label, and the console's word for the kind.
ALERT_KINDS = {
    "post_failed": N_("post failed"),
    "unknown_send": N_("outcome unknown"),
    "manual_waiting": N_("manual package waiting"),
    "queue_paused": N_("queue paused"),
    "late_outcome": N_("late answer"),
    "credentials_expiring": N_("credentials expiring"),
    "filing_due": N_("filing due"),
    "stale_account": N_("account not updated"),
    "update_due": N_("update due"),
    "repost_at_risk": N_("matrix repost at risk"),
    "repost_late": N_("matrix repost late"),
    "repost_missing": N_("matrix repost missing"),
    "quota_exhausted": N_("platform quota used up"),
    "ip_not_whitelisted": N_("server IP not whitelisted"),
    "weibo_rip": N_("Weibo rip missing"),
    "weibo_token": N_("Weibo login missing"),
    "wechat_credentials": N_("WeChat credentials missing"),
    "webhook_unsigned": N_("webhook without a signing secret"),
}


def alert_label(kind: str, translate: Callable[[str], str]) -> str:
    """What an alert of ``kind`` is about, said by ``translate`` (the kind when unknown)."""
    return translate(ALERT_KINDS[kind]) if kind in ALERT_KINDS else kind


# What a notice to the organisation's notification address says of an alert with no notice
# line of its own (the alerts of an account's filing, keeping alive and 集中转载 carry
# theirs: ``sqlmodel_db.schedule.NOTICE_KINDS``): the post, and what to do.
NOTICE_TEXTS = {
    "post_failed": N_(
        "post {post} failed: find out why and retry it (`matrixpub post retry {post}`), or "
        "confirm it was published, or cancel it; details on the console's Posts page"
    ),
    "unknown_send": N_(
        "the outcome of post {post} is unknown: the platform may or may not have it; check "
        "on the platform, then settle it (`matrixpub post resolve {post}`)"
    ),
    "manual_waiting": N_(
        "the manual package of post {post} has waited too long: post it and record its "
        "address (`matrixpub post confirm {post} --url URL`), or cancel it"
    ),
    "late_outcome": N_(
        "the platform's answer for post {post} arrived after its state had changed: check "
        "the platform for a second copy"
    ),
}
NOTICE_ACCOUNT_TEXTS = {
    "queue_paused": N_(
        "the account's queue is paused and sends nothing until resumed; why, on the "
        "console's Accounts page"
    ),
    "credentials_expiring": N_(
        "the account's platform credentials expire soon or have expired: authorise it again "
        "and store the new ones"
    ),
    "quota_exhausted": N_(
        "the platform's posting quota is used up: waiting posts go once it is restored"
    ),
    "ip_not_whitelisted": N_(
        "the platform refuses this server's IP address: add it to the whitelist in the "
        "platform's back office"
    ),
    "weibo_token": N_(
        "the Weibo account has no stored login (access token): its posts wait until one is "
        "stored with `matrixpub account credentials` and its queue runs again"
    ),
    "wechat_credentials": N_(
        "the WeChat official account has no stored appid and appsecret: its posts wait until "
        "they are stored with `matrixpub account credentials` and its queue runs again"
    ),
}


def notice_text(kind: str, post_id: int | None, translate: Callable[..., str]) -> str:
    """What a notice says of an alert of ``kind`` with no notice line of its own, said by
    ``translate`` (``_(message, **values)``, as :func:`channels.catalog.translator` gives)."""
    if post_id is not None and kind in NOTICE_TEXTS:
        return translate(NOTICE_TEXTS[kind], post=post_id)
    if kind in NOTICE_ACCOUNT_TEXTS:
        return translate(NOTICE_ACCOUNT_TEXTS[kind])
    return translate(N_("details among the console's alerts (`matrixpub alerts`)"))


@dataclass(frozen=True)
class Wording:
    """The words of a message besides the alerts' own, as message ids of the one catalog
    (English); :meth:`said` gives them in a reader's language."""

    heading: str = N_("matrixpub alerts")
    count: str = N_("{heading} ({n} in all)")
    continued: str = N_("{heading} (continued)")
    account: str = N_("(account: {name})")
    responsible: str = N_("(responsible: {name})")
    responsible_word: str = N_("responsible")  # a line that names it already is left alone
    not_on_record: str = N_("not on record")

    def said(self, translate: Callable[[str], str]) -> Wording:
        return Wording(**{f.name: translate(getattr(self, f.name)) for f in fields(self)})


@dataclass(frozen=True)
class Notice:
    """One alert as people read it, in one language: ``label`` says what it is about
    (the console's words for its kind), ``text`` what happened and what to do."""

    kind: str
    text: str
    account: str | None = None  # the account's name
    responsible: str | None = None
    label: str | None = None  # the kind itself when None


@dataclass(frozen=True)
class Sent:
    ok: bool
    detail: str
    rate_limited: bool = False


def is_webhook(address: str | None) -> bool:
    return bool(address) and str(address).startswith(("http://", "https://"))


def is_wecom(address: str) -> bool:
    parts = urlsplit(address)
    return parts.path.endswith("/cgi-bin/webhook/send") and "key" in parse_qs(parts.query)


def _line(notice: Notice, words: Wording) -> str:
    label = notice.label or notice.kind
    text = notice.text
    if notice.account and notice.account not in text:
        text += _gap(words.account) + words.account.format(name=notice.account)
    if notice.account and words.responsible_word not in text:
        said = words.responsible.format(name=notice.responsible or words.not_on_record)
        text += _gap(said) + said
    return f"- **{label}** {text}"


def _gap(said: str) -> str:
    return "" if said.startswith("（") else " "  # a full-width bracket holds its own space


def compose(notices: Sequence[Notice], *, words: Wording = Wording()) -> list[str]:
    """The markdown messages for ``notices``, each within WeCom's size limit."""
    messages: list[str] = []
    heading = words.heading
    current = "**" + words.count.format(heading=heading, n=len(notices)) + "**"
    for notice in notices:
        line = _line(notice, words)
        if len(line.encode()) > WECOM_LIMIT - 200:
            line = line.encode()[: WECOM_LIMIT - 210].decode(errors="ignore") + "…"
        if len((current + "\n" + line).encode()) > WECOM_LIMIT:
            messages.append(current)
            current = "**" + words.continued.format(heading=heading) + "**"
        current += "\n" + line
    messages.append(current)
    return messages


def send(
    address: str,
    notices: Sequence[Notice],
    *,
    words: Wording = Wording(),
    http: requests.Session | None = None,
    timeout: float = 10.0,
) -> Sent:
    """Send ``notices`` to ``address``; never raises for a refusal or a network error,
    says what happened instead (the alerts stay unsent and go with the next run)."""
    import requests  # here: the faces read this module's words without loading requests

    session = http or requests.Session()
    try:
        if is_wecom(address):
            for content in compose(notices, words=words):
                answer = session.post(
                    address,
                    json={"msgtype": "markdown", "markdown": {"content": content}},
                    timeout=timeout,
                )
                data: Any = answer.json() if answer.content else {}
                code = data.get("errcode") if isinstance(data, dict) else None
                if answer.status_code != 200 or code != 0:
                    detail = data.get("errmsg", "") if isinstance(data, dict) else ""
                    return Sent(
                        False,
                        f"the WeCom robot refused the message: errcode {code} {detail}".strip(),
                        rate_limited=code == 45009,
                    )
            return Sent(True, "sent to the WeCom robot")
        payload = {
            "text": "\n".join(compose(notices, words=words)),
            "alerts": [
                {
                    "kind": n.kind,
                    "text": n.text,
                    "account": n.account,
                    "responsible": n.responsible,
                }
                for n in notices
            ],
        }
        body = json.dumps(payload, ensure_ascii=False).encode()
        answer = session.post(
            address,
            data=body,
            headers={
                "Content-Type": "application/json; charset=utf-8",
                # The same alerts sent twice are one message to a receiver that dedupes.
                "Idempotency-Key": "matrixpub-alerts-" + hashlib.sha256(body).hexdigest()[:32],
            },
            timeout=timeout,
        )
        if not 200 <= answer.status_code < 300:
            return Sent(False, f"the webhook answered HTTP {answer.status_code}")
        return Sent(True, "sent to the webhook")
    except (requests.RequestException, ValueError) as error:
        return Sent(
            False, f"the notification address could not be reached ({type(error).__name__})"
        )
