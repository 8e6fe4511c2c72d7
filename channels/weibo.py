"""Sina Weibo (新浪微博) through the open platform's ``statuses/share``.

The protocol (open.weibo.com › 2/statuses/share)::

    POST https://api.weibo.com/2/statuses/share.json
         access_token, status (≤140 汉字, must contain a URL on the app's 安全域名,
         no "#话题#"), rip (the acting user's real IP: now required)
         form-encoded; multipart/form-data when a picture is attached as "pic"
         (one JPEG/GIF/PNG < 5 MB)
    → the new status: {"id", "idstr", "mid", "text", "user": {"id", "idstr"}, ...}
    ← on error, an HTTP 4xx with {"error": "...", "error_code": 21327, "request": "/2/..."}

Errors by ``error_code`` (the HTTP status varies, the code decides):

    21314-21319, 21327, 21332, 21301   the token is expired, revoked or invalid: Permanent
                                       (no refresh flow here; the account is authorised again)
    10022, 10023, 10024, 20016         rate limits: Transient
    10001, 10002, 10009                platform busy: OutcomeUnknown (a share may have gone out)
    20017, 20019                       the same text twice in a row: Permanent
    anything else                      Permanent, with the platform's words

``rip`` is the account's own ``rip`` credential field, else the organisation's
``weibo_rip`` setting (``matrixpub settings set weibo_rip IP``, or ``MATRIXPUB_WEIBO_RIP``;
``ChannelConfig.weibo_rip``); with neither, or not an IP address, nothing is sent and the
account waits (AccountHeld) until a person sets one. So does an account with no access
token on record (``NO_TOKEN``): nothing is sent, its queue waits for the login, with an
alert (``weibo_token``) saying how to store it.

A share is not idempotent: a lost answer, HTTP 408 or 5xx (a gateway may answer so after
Weibo posted it) and a "busy" code are OutcomeUnknown. (If a retry decided by a person is
then refused as repeated content, the first attempt went through.)

Credentials are tried with the cheapest authenticated call, ``POST /oauth2/get_token_info``
(``access_token``) → ``{"uid", "appkey", "scope", "create_at", "expire_in"}``, which also
says when the token ends: tokens last from a day (test apps) to 30 days and are renewed
only by authorising again, so the expiry is recorded and a person is warned a week ahead.

Wording rules (:meth:`WeiboChannel.render`, pure):

- The text is :func:`channels.compose.short_text` — the Weibo override, else the summary,
  else the title — followed by the website article link, which is the safe-domain URL
  share requires. Without any safe-domain URL the variant has a violation.
- Length is counted in Weibo's unit (two ASCII characters count as one, and a URL counts
  as 10 whatever its length, :mod:`channels.counting`), link included.
  Too long *with* a link: the draft's summary is used if it fits, else the text is cut at
  the last sentence end that fits and "…" is added before the link (Weibo's documented
  "summary plus link" form). Too long without a link: a violation; the text is never cut.
- ``#话题#`` cannot be sent through share: the marks are removed, the words kept, and the
  change noted.
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from channels.base import (
    ChannelConfig,
    ChannelSpec,
    CountUnit,
    CredentialCheck,
    DeliveryKind,
    DeliveryState,
    Form,
    ImageSpec,
    Measure,
    MediaStore,
    Quota,
    Receipt,
    RenderInput,
    Target,
    Variant,
    VariantImage,
    Violation,
)
from channels.compose import short_text
from channels.counting import count, cut_to
from channels.http import (
    Step,
    exchange,
    json_answer,
    protect_logs,
    raise_busy,
    raise_for_transient_status,
    redact,
    short,
)
from channels.images import ImageProblem, fit
from channels.rendering import render_template
from domain.errors import (
    AccountHeld,
    DeliveryError,
    OutcomeUnknown,
    PermanentDeliveryError,
    TransientDeliveryError,
)

API_HOST = "https://api.weibo.com"
STATUS_MAX = 140

SPEC = ChannelSpec(
    key="weibo",
    label="新浪微博",
    delivery=DeliveryKind.API,
    form=Form.SHORT,
    count_unit=CountUnit.WEIBO,
    body_max=STATUS_MAX,
    cover=ImageSpec(ratio=None, max_width=2048, max_bytes=5_000_000, formats=("JPEG",)),
    max_images=1,  # share takes one "pic"
    quota=Quota(30, "hour"),  # 30 posts an hour per user [V]
    limits=(Quota(100, "day"),),  # and 100 API calls a day per user and app [V]
    template="weibo.txt.j2",
)

TOKEN_ERRORS = frozenset({21301, 21314, 21315, 21316, 21317, 21319, 21327, 21332})
RATE_ERRORS = frozenset({10022, 10023, 10024, 20016})
BUSY_ERRORS = frozenset({10001, 10002, 10009})
REPEAT_ERRORS = frozenset({20017, 20019})

_TOPIC = re.compile(r"#([^#\n]{1,64})#")
_URL = re.compile(r"https?://[^\s<>\"']+")
_SENTENCE_END = "。！？；!?;…"


def _host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def _on_domain(url: str, domain: str) -> bool:
    host = _host_of(url)
    return bool(domain) and (host == domain or host.endswith("." + domain))


def _cut_at_sentence(text: str, budget: int) -> str:
    """The longest prefix within ``budget`` Weibo units, ending at a sentence end if one
    lies in the kept text."""
    head = cut_to(text, budget, CountUnit.WEIBO)
    ends = [head.rfind(mark) for mark in _SENTENCE_END]
    end = max(ends)
    if end > 0:
        return head[: end + 1]
    return head.rstrip()


# What a post of an account with no stored login waits for (read in the reader's language
# through console/stored.py's templates).
NO_TOKEN = (
    "the Weibo account has no access token on record, so nothing is sent to it: authorise it "
    "on Weibo and store its login with `matrixpub account credentials {account_id} "
    "--secret-block NAME --value access_token=... --test`, then let its queue run again with "
    "`matrixpub account unpause {account_id} --reason ...`"
)


class WeiboChannel:
    """A Weibo account posting through ``statuses/share`` with its OAuth access token."""

    key = "weibo"
    spec = SPEC

    def __init__(self, config: ChannelConfig, *, base_url: str | None = None) -> None:
        self.config = config
        self.base_url = (base_url or API_HOST).rstrip("/")
        self.timeout = config.http_timeout
        self.safe_domain = _host_of(config.site_url)
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        protect_logs()

    # -- format ---------------------------------------------------------------------------
    def _compose(self, text: str, link: str | None, cut: bool) -> str:
        """The status as the template lays it out (text, "…" when cut, the link)."""
        return render_template(
            f"channels/{self.spec.template_name}", text=text, link=link, cut=cut
        ).strip()

    def render(self, source: RenderInput) -> Variant:
        composed = short_text(source, self.key)
        notes: list[str] = []
        violations: list[Violation] = []
        text, topics = _TOPIC.subn(r"\1", composed.text)
        if topics:
            notes.append(f"微博分享接口不支持“#话题#”：已去掉 {topics} 处话题的 # 号，保留文字")
        link = composed.link
        unit = self.spec.count_unit

        status = self._compose(text, link, cut=False)
        if count(status, unit) > STATUS_MAX and link:
            summary = (
                source.content.for_channel(self.key).summary or source.content.summary or ""
            ).strip()
            candidate = self._compose(_TOPIC.sub(r"\1", summary), link, cut=False)
            if summary and count(candidate, unit) <= STATUS_MAX:
                status = candidate
                notes.append("正文超过 140 字：改用摘要加链接")
            else:
                budget = STATUS_MAX - count(self._compose("", link, cut=True), unit)
                status = self._compose(_cut_at_sentence(text, budget), link, cut=True)
                notes.append("正文超过 140 字：按句截断，加“…”和链接（微博的摘要加链接规则）")

        measure = Measure("status", count(status, unit), STATUS_MAX, unit.value)
        if not text.strip():
            violations.append(Violation("status", "empty", "the Weibo text is empty"))
        if measure.over:
            violations.append(
                Violation(
                    "status",
                    "too_long",
                    f"the Weibo text counts {measure.value} (two ASCII characters count as "
                    f"one, a link 10); Weibo allows {STATUS_MAX}. Shorten it or send the draft "
                    "to the website too, so a summary and the link can be posted",
                )
            )
        if not link and not any(_on_domain(u, self.safe_domain) for u in _URL.findall(status)):
            violations.append(
                Violation(
                    "status",
                    "no_link",
                    "Weibo share needs a link to the organisation's website (its safe "
                    f"domain {self.safe_domain or '(not configured)'}); send the draft to the "
                    "website too",
                )
            )

        images: tuple[VariantImage, ...] = ()
        if source.cover is not None:
            assert self.spec.cover is not None
            try:
                images = (
                    fit(
                        source.cover,
                        self.spec.cover,
                        role="cover",
                        focus=source.content.cover_focus,
                    ),
                )
            except ImageProblem as exc:
                violations.append(Violation("cover", "bad_image", str(exc)))

        return Variant(
            channel=self.key,
            fields={"status": status, "notes": "\n".join(notes)},
            images=images,
            measures=(measure,),
            violations=tuple(violations),
        )

    # -- deliver --------------------------------------------------------------------------
    def publish(
        self,
        variant: Variant,
        target: Target,
        *,
        secret: Mapping[str, str] | None,
        key: str,
        http: Any,
        media: MediaStore | None = None,
    ) -> Receipt:
        """Share the status (with its picture, multipart, when there is one)."""
        if variant.violations:
            raise PermanentDeliveryError(
                f"the variant has {len(variant.violations)} unresolved problem(s); "
                "it cannot be sent"
            )
        # A secret block holding a bare string arrives as {"token": ...} (flows.secrets).
        token = (secret or {}).get("access_token") or (secret or {}).get("token") or ""
        if not token:
            # Like a missing rip or a webhook's signing secret: nothing was sent, and the
            # account's posts wait for a person to store the login, rather than fail.
            raise AccountHeld(NO_TOKEN.format(account_id=target.account_id), kind="weibo_token")
        rip = self._rip(secret)
        step = Step("Weibo", "statuses/share", idempotent=False)
        form = {"access_token": token, "status": variant.fields["status"], "rip": rip}
        pic = variant.image("cover")
        kwargs: dict[str, Any] = {}
        if pic is not None:
            kwargs["files"] = {"pic": (pic.filename, pic.data, pic.media_type)}
        response = exchange(
            http,
            "POST",
            f"{self.base_url}/2/statuses/share.json",
            step=step,
            timeout=self.timeout,
            data=form,
            **kwargs,
        )
        return self._receipt(response, step, key=key, token=token)

    def check_credentials(
        self, target: Target, *, secret: Mapping[str, str] | None, http: Any
    ) -> CredentialCheck:
        """Ask ``oauth2/get_token_info`` about the token: whether it works, and until when."""
        token = (secret or {}).get("access_token") or (secret or {}).get("token") or ""
        if not token:
            return CredentialCheck(ok=False, detail="the Weibo account has no access token")
        step = Step("Weibo", "oauth2/get_token_info", idempotent=True)
        try:
            response = exchange(
                http,
                "POST",
                f"{self.base_url}/oauth2/get_token_info",
                step=step,
                timeout=self.timeout,
                data={"access_token": token},
            )
            body = self._json_or_none(response)
            if isinstance(body, dict) and body.get("error_code"):
                self._raise_for_error(body, token, step)
            raise_for_transient_status(response, step)
            answer = json_answer(response, step)
        except DeliveryError as exc:
            return CredentialCheck.failed(exc)
        expires_at = self.clock() + timedelta(seconds=int(answer.get("expire_in") or 0))
        detail = f"Weibo accepts the access token; it expires at {expires_at:%Y-%m-%d %H:%M} UTC"
        try:
            self._rip(secret)
        except AccountHeld:
            detail += (
                "; no rip is set in this process (the weibo_rip setting, MATRIXPUB_WEIBO_RIP, "
                "or the account's rip field), and shares need one"
            )
        return CredentialCheck(ok=True, detail=detail, expires_at=expires_at)

    @staticmethod
    def _json_or_none(response: Any) -> Any:
        try:
            return response.json()
        except ValueError:
            return None

    def _rip(self, secret: Mapping[str, str] | None) -> str:
        """The real IP address Weibo requires with every share (``rip``)."""
        rip = ((secret or {}).get("rip") or self.config.weibo_rip or "").strip()
        try:
            return str(ipaddress.ip_address(rip))
        except ValueError:
            pass
        raise AccountHeld(
            "Weibo statuses/share now requires rip, the real IP address of the person "
            + (f"posting, and {rip!r} is not one; " if rip else "posting, and none is set; ")
            + "set the organisation's weibo_rip (`matrixpub settings set weibo_rip IP`, or "
            "MATRIXPUB_WEIBO_RIP) or the account's rip credential field, then let the "
            "account's queue run again",
            kind="weibo_rip",
        )

    def _receipt(self, response: Any, step: Step, *, key: str, token: str) -> Receipt:
        body: dict[str, Any] | None
        try:
            body = response.json()
        except ValueError:
            body = None
        if isinstance(body, dict) and body.get("error_code"):
            self._raise_for_error(body, token, step)
        raise_for_transient_status(response, step)
        if not 200 <= response.status_code < 300:
            raise PermanentDeliveryError(
                f"{step}: the platform answered HTTP {response.status_code}",
                code=response.status_code,
            )
        answer = json_answer(response, step)
        idstr = str(answer.get("idstr") or answer.get("id") or "")
        if not idstr:
            raise OutcomeUnknown(f"{step}: the answer carried no status id")
        user = answer.get("user") or {}
        uid = str(user.get("idstr") or user.get("id") or "")
        mid = str(answer.get("mid") or idstr)
        return Receipt(
            state=DeliveryState.PUBLISHED,
            external_id=idstr,
            url=f"https://weibo.com/{uid}/{mid}" if uid else None,
            detail="shared",
            data={"key": key, "idstr": idstr, "mid": mid, "uid": uid},
        )

    @staticmethod
    def _raise_for_error(body: Mapping[str, Any], token: str, step: Step) -> None:
        try:
            code = int(body.get("error_code") or 0)
        except (TypeError, ValueError):
            code = 0
        error = redact(short(body.get("error", "")), (token,))
        if code in TOKEN_ERRORS:
            raise PermanentDeliveryError(
                f"Weibo rejected the access token ({code} {error}); the account must be "
                "authorised again",
                code=code,
            )
        if code in RATE_ERRORS:
            raise TransientDeliveryError(
                f"Weibo rate limit reached ({code} {error}); try again later", code=code
            )
        if code in BUSY_ERRORS:
            raise_busy(step, f"Weibo is busy ({code} {error})", code=code)
        if code in REPEAT_ERRORS:
            raise PermanentDeliveryError(
                f"Weibo rejects two identical posts in a row ({code} {error})", code=code
            )
        raise PermanentDeliveryError(f"Weibo refused the post: {code} {error}", code=code)

    def status(
        self,
        receipt: Receipt,
        target: Target,
        *,
        secret: Mapping[str, str] | None,
        http: Any,
    ) -> Receipt:
        return receipt  # share is synchronous: the answer already says it is live
