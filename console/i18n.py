"""Messages for people, in their language: one gettext catalog (domain ``matrixpub``)
under ``console/locale/``, kept with Babel (``make catalogs``).

The CLI and the web console say everything a person reads through :func:`_`, so the two
faces speak the same words. zh-CN is the default; English is available by
``MATRIXPUB_LANG=en`` for a process, or a person's choice in the web console (which
holds for the request through :func:`use_language`). ``--json`` output never goes
through here: its keys and values are stable English identifiers.

Message ids are English; the zh_CN catalog translates every one, the en catalog repeats
it, and a test fails when either lacks a message the code uses.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from channels import notify

# The catalog's files and its loader are a leaf the flows use too (see channels.catalog).
from channels.catalog import DOMAIN as DOMAIN
from channels.catalog import LOCALE_DIR as LOCALE_DIR
from channels.catalog import catalog

LANGUAGES: dict[str, str] = {"zh_CN": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh_CN"
LANGUAGE_COOKIE = "mp_lang"  # a person's choice in the web console

_chosen: ContextVar[str | None] = ContextVar("matrixpub_language", default=None)


def normalise(value: str | None) -> str | None:
    """``zh``, ``zh-CN``, ``zh_CN.UTF-8`` → ``zh_CN``; ``en``, ``en_US`` → ``en``; else None."""
    if not value:
        return None
    code = value.split(".")[0].replace("-", "_").strip().lower()
    if code.startswith("zh"):
        return "zh_CN"
    if code.startswith("en"):
        return "en"
    return None


def language() -> str:
    """The language messages are in now: the request's choice, else MATRIXPUB_LANG."""
    return _chosen.get() or normalise(os.environ.get("MATRIXPUB_LANG")) or DEFAULT_LANGUAGE


@contextmanager
def use_language(value: str | None) -> Iterator[str]:
    """Speak ``value`` (when it names a known language) for the duration of a block."""
    token = _chosen.set(normalise(value))
    try:
        yield language()
    finally:
        _chosen.reset(token)


def _(message: str, /, **values: Any) -> str:
    """``message`` in the current language, with ``{name}`` fields filled from ``values``."""
    text = catalog(language()).gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, /, **values: Any) -> str:
    text = catalog(language()).ngettext(singular, plural, n)
    return text.format(n=n, **values)


def error_text(exc: BaseException) -> str:
    """A matrixpub error in the current language (its English message when the catalog
    has no translation for it).

    An error keeps its message as written, with ``{name}`` fields, and the values apart
    (:class:`domain.errors.MatrixpubError`); here the message is translated, then filled.
    Both faces show errors through this function only."""
    template = getattr(exc, "template", None)
    if template is None:
        return str(exc)
    # Values that are words of the workflow (a state, a role, an action, what a file is)
    # are translated too, and so is an error given as the reason of another.
    words = {
        **STATES, **ROLES, **PARTIES, **WORDS, **PLATFORMS, **{verb: verb for verb in VERBS}
    }  # fmt: skip

    from console.stored import stored_text

    def shown(value: Any) -> Any:
        if isinstance(value, BaseException) and hasattr(value, "template"):
            return error_text(value)
        if not isinstance(value, str):
            return value
        if value in words:
            return _(words[value])
        if (who := who_label(value)) is not None:
            return who
        label, _space, key = value.rpartition(" ")
        if label and key in GATES:  # a gate's title: 一校 proofread_1
            return gate_label(key)
        items = value.split(", ")
        if len(items) > 1 and all(item in words for item in items):  # roles: author, editor
            return _("、").join(_(words[item]) for item in items)
        # a text made of words of its own, such as where in a word list a problem is
        return stored_text(value)

    values = {key: shown(value) for key, value in getattr(exc, "values", {}).items()}
    try:
        return _(template, **values)
    except (KeyError, IndexError, ValueError):
        return str(exc)


def who_label(text: str) -> str | None:
    """Who may do something (``domain.permissions.Permission.who``: "the author role or
    the draft's author") in words of the current language; None for any other text."""
    shown = []
    for part in text.split(" or "):
        role = part.removeprefix("the ").removesuffix(" role")
        if part.startswith("the ") and part.endswith(" role") and role in ROLES:
            shown.append(_("the {role} role", role=_(ROLES[role])))
        elif part in PARTIES:
            shown.append(_(PARTIES[part]))
        else:
            return None
    return _(" or ").join(shown)


def N_(message: str) -> str:
    """Marks a message for the catalog where it is defined; translated where it is shown."""
    return message


# -- the words of the workflow --------------------------------------------------------------

STATES = {
    "draft": N_("draft"),
    "submitted": N_("being checked"),
    "in_review": N_("in review"),
    "returned": N_("returned"),
    "approved": N_("signed off"),
    "withdrawn": N_("withdrawn"),
}
POST_STATES = {
    "queued": N_("queued"),
    "sending": N_("sending"),
    "pending": N_("with the platform"),
    "checking": N_("checking"),
    "manual": N_("waits to be posted by hand"),
    "published": N_("published"),
    "failed": N_("failed"),
    "unknown": N_("outcome unknown"),
    "cancelled": N_("cancelled"),
    "withdrawn": N_("taken down"),
}
GATES = {
    "proofread_1": N_("1st proofread"),
    "review_1": N_("1st review"),
    "proofread_2": N_("2nd proofread"),
    "review_2": N_("2nd review"),
    "proofread_3": N_("3rd proofread"),
    "review_3": N_("final review (sign-off)"),
    "check_secrecy": N_("secrecy review (保密审查)"),
    "check_netinfo": N_("the cyberspace office's check (网信)"),
}
ROLES = {
    "admin": N_("admin"),
    "author": N_("author"),
    "proofreader": N_("proofreader"),
    # No brackets of their own: a role is said in brackets beside a person's name.
    "editor": N_("1st-review editor"),
    "chief": N_("2nd-review section chief"),
    "leader": N_("final-review leader"),
    "secrecy": N_("secrecy reviewer"),
    "netinfo": N_("cyberspace affairs reviewer"),
}
# Who may act because of where they stand to the thing (domain.permissions.Party).
PARTIES = {
    "the draft's author": N_("the draft's author"),
    "the account's responsible person (责任人)": N_("the account's responsible person (责任人)"),
    "the person themselves": N_("the person themselves"),
}
# The notes of the permissions table (domain.permissions), each part of them on its own.
PERMISSION_NOTES = {
    "their token and web sessions stop at once": N_("their token and web sessions stop at once"),
    "reissues": N_("reissues"),
    "the old token stops working": N_("the old token stops working"),
    "separation rules included, on record": N_("separation rules included, on record"),
    "the leader decides": N_("the leader decides"),
    "not a request of their own": N_("not a request of their own"),
    "the national filing's record number": N_("the national filing's record number"),
    "not on their own draft": N_("not on their own draft"),
    "through a freeze": N_("through a freeze"),
    "with a note of what was done, on record": N_("with a note of what was done, on record"),
    "see the separation rules": N_("see the separation rules"),
    "whoever may decide the gate the draft waits at": N_(
        "whoever may decide the gate the draft waits at"
    ),
}
VERBS = (N_("edit"), N_("submit"))  # what only a draft's author may do (domain.drafts)
# What the rules name in their messages: the part of a draft, the file, an account's state.
WORDS = {
    "title": N_("title"),
    "summary": N_("summary"),
    "body": N_("body"),
    "user name": N_("user name"),
    "reason": N_("reason"),
    "opinion": N_("opinion"),
    "file": N_("file"),
    "body file": N_("body file"),
    "cover": N_("cover"),
    "cover file": N_("cover file"),
    "picture": N_("picture"),
    "picture file": N_("picture file"),
    "word list": N_("word list"),
    "credentials file": N_("credentials file"),
    "export folder": N_("export folder"),
    "preview folder": N_("preview folder"),
    "applying": N_("applying"),
    "active": N_("active"),
    "suspended": N_("suspended"),
    "closing": N_("closing"),
    "closed": N_("closed"),
    # account requests, their states and what happens to an account (domain.accounts)
    "open": N_("opening"),
    "change": N_("change"),
    "close": N_("closure"),
    "pending": N_("pending"),
    "rejected": N_("rejected"),
    "registered": N_("registered"),
    "requested": N_("requested"),
    "changed": N_("changed"),
    "credentials": N_("credentials"),
    "filed": N_("filed"),
    "request_open": N_("opening requested"),
    "request_change": N_("change requested"),
    "request_close": N_("closing requested"),
    "notice_published": N_("notice published"),
    "suspend": N_("suspend"),
    "resume": N_("resume"),
    "approve": N_("approve"),
    "reject": N_("reject"),
    # a matrix repost's accounts (domain.reposts)
    "on_time": N_("on time"),
    "late": N_("late"),
    "missing": N_("missing"),
    "at_risk": N_("at risk"),
    # what one dispatch did (flows.delivery)
    "retrying": N_("to be retried"),
    "rescheduled": N_("rescheduled"),
    "refused": N_("refused"),
    "paused_accounts": N_("accounts paused"),
    # where an organisation setting comes from (console.actions.show_settings)
    "environment": N_("environment"),
    "database": N_("database"),
    "default": N_("default"),
    # how much a proofreading finding weighs (domain.proofread)
    "block": N_("blocking"),
    "warn": N_("warning"),
    "info": N_("note"),
    # how fresh an account is (domain.keepalive.Level)
    "ok": N_("ok"),
    "warning": N_("nearly due"),
    "stale": N_("overdue"),
}


def word(value: str | None) -> str:
    """A word the rules use as a value (an account's state, a request's kind), in words."""
    if value is None:
        return ""
    return _(WORDS[value]) if value in WORDS else value


VERDICTS = {"approve": N_("approved"), "reject": N_("sent back")}
# Where an account request stands (domain.accounts).
REQUEST_STATES = {
    "pending": N_("pending"),
    "approved": N_("approved"),
    "rejected": N_("not approved"),
}


def request_state_label(state: str) -> str:
    return _(REQUEST_STATES[state]) if state in REQUEST_STATES else state


ACTIONS = {
    "draft.created": N_("draft written"),
    "draft.edited": N_("draft edited"),
    "draft.submitted": N_("submitted"),
    "draft.checked": N_("checked"),
    "draft.in_review": N_("in review"),
    "draft.returned": N_("returned"),
    "draft.approved": N_("signed off"),
    "draft.scheduled": N_("rescheduled"),
    "draft.fanout": N_("matrix repost"),
    "gate.approve": N_("approved"),
    "gate.reject": N_("sent back"),
    "finding.overridden": N_("finding overridden"),
    "post.queued": N_("post planned"),
    "post.published": N_("published"),
    "post.failed": N_("failed"),
    "post.cancelled": N_("post cancelled"),
    "post.released": N_("released through a freeze"),
    "freeze.added": N_("freeze added"),
    "freeze.lifted": N_("freeze lifted"),
    "user.created": N_("user added"),
    "user.login": N_("logged in"),
    "user.logout": N_("logged out"),
    "account.registered": N_("account registered"),
    "account.changed": N_("account changed"),
    "settings.set": N_("setting changed"),
    "user.language_set": N_("language chosen"),
    "audit.keyed": N_("audit key set"),
    "draft.blocked": N_("blocked by the checks"),
    "gate.escalate": N_("sent to an extra check"),
    "post.unplaced": N_("post not placed"),
    "post.withdrawn": N_("post withdrawn"),
    "post.sending": N_("sending"),
    "post.pending": N_("waiting for the platform"),
    "post.checking": N_("being checked after a lost send"),
    "post.manual": N_("manual package ready"),
    "post.unknown": N_("outcome unknown"),
    "post.lease_expired": N_("send lease ran out"),
    "post.late_outcome": N_("late outcome recorded"),
    "user.password_set": N_("password set"),
    "user.token_reissued": N_("token reissued"),
    "user.roles_changed": N_("roles changed"),
    "user.deactivated": N_("user deactivated"),
    "user.activated": N_("user activated"),
    "user.login_locked": N_("login locked"),
    "account.policy": N_("posting policy set"),
    "account.held": N_("posts held"),
    "account.unpaused": N_("queue resumed"),
    "account.replanned": N_("posts planned again"),
    "account.suspend": N_("account suspended"),
    "account.resume": N_("account resumed"),
    "account.activate": N_("account activated"),
    "account.close": N_("account closed"),
    "account.request_open": N_("opening requested"),
    "account.request_change": N_("change requested"),
    "account.request_close": N_("closing requested"),
    "account.request_approved": N_("request approved"),
    "account.request_rejected": N_("request rejected"),
    "account.approve": N_("request approved"),
    "account.reject": N_("request rejected"),
    "account.notice_published": N_("closing notice published"),
    "account.filed": N_("filing recorded"),
    "account.credentials": N_("credentials stored"),
    "lexicon.added": N_("term added"),
    "lexicon.removed": N_("term removed"),
    "lexicon.imported": N_("word list imported"),
    "lexicon.allowed": N_("term allowed"),
    "alert.acknowledged": N_("alert acknowledged"),
}
# Audit subjects by their type, for an event whose subject has no name of its own.
SUBJECTS = {
    "draft": N_("draft {id}"),
    "account": N_("account {id}"),
    "user": N_("user {id}"),
    "post": N_("post {id}"),
    "alert": N_("alert {id}"),
    "freeze": N_("freeze {id}"),
    "setting": N_("setting {id}"),
    "lexicon": N_("word list {id}"),
    "account_request": N_("account request {id}"),
}
# Audit subjects that are one thing of their own, not one of a type (sqlmodel_db.audit).
NAMED_SUBJECTS = {"audit:key": N_("the audit log's key")}
# The platforms by channel key (channels.registry names them in Chinese, for the channels).
# No brackets of their own: a platform is said in brackets beside an account's name.
PLATFORMS = {
    "wechat_oa": N_("WeChat subscription account"),
    "wechat_service": N_("WeChat service account"),
    "weibo": N_("Sina Weibo"),
    "douyin": N_("Douyin"),
    "xiaohongshu": N_("Xiaohongshu"),
    "toutiao": N_("Toutiao"),
    "kuaishou": N_("Kuaishou"),
    "bilibili": N_("Bilibili"),
    "wechat_channels": N_("WeChat Channels"),
    "website": N_("Portal website"),
    "webhook": N_("Media hub webhook"),
}

# What an alert is about, and what a notice says of one: the words the robot sends too, kept
# with the notices (channels.notify) so a flow says them without importing the console.
ALERT_KINDS = notify.ALERT_KINDS


def alert_kind_label(kind: str) -> str:
    return notify.alert_label(kind, _)


def notice_text(kind: str, post_id: int | None) -> str:
    """What a notice says of an alert of ``kind`` with no notice line of its own."""
    return notify.notice_text(kind, post_id, _)


def action_label(action: str) -> str:
    """An audit event's action as a person says it: an alert by its kind; the identifier
    when it has no words."""
    if action in ACTIONS:
        return _(ACTIONS[action])
    kind, _dot, rest = action.partition(".")
    if kind == "alert" and rest:
        return _("alert: {kind}", kind=alert_kind_label(rest))
    return action


def subject_label(subject: str, name: str | None = None) -> str:
    """An audit event's subject (``draft:3``) as a person says it, with its name or title
    when it has one: 草稿 3「关于……的通知」."""
    kind, _colon, ident = subject.partition(":")
    if subject in NAMED_SUBJECTS:
        said = _(NAMED_SUBJECTS[subject])
    else:
        said = _(SUBJECTS[kind], id=ident) if kind in SUBJECTS else subject
    if not name:
        return said
    if kind == "post":
        return _("{subject} to “{name}”", subject=said, name=name)
    return _("{subject} “{name}”", subject=said, name=name)


def audit_details(data: Any) -> str:
    """What a person asks of an event: the gate, the version, the opinion or reason."""
    try:
        values = json.loads(data) if isinstance(data, str) else dict(data or {})
    except (ValueError, TypeError):
        return ""
    if not isinstance(values, dict):
        return ""
    parts = []
    if values.get("gate") is not None and isinstance(values["gate"], str):
        parts.append(gate_label(values["gate"]))
    if values.get("version") is not None:
        parts.append(_("version {n}", n=values["version"]))
    for key in ("opinion", "reason", "note"):
        if values.get(key):
            parts.append(f"“{values[key]}”")
    return " · ".join(parts)


# Time zones by their IANA name, in words (the organisation's ``timezone`` setting); one not
# named here is said as a time zone by its name.
TIMEZONES = {
    "Asia/Shanghai": N_("Beijing time ({tz})"),
    "Asia/Chongqing": N_("Beijing time ({tz})"),
    "PRC": N_("Beijing time ({tz})"),
    "Asia/Urumqi": N_("Xinjiang time ({tz})"),
    "Asia/Hong_Kong": N_("Hong Kong time ({tz})"),
    "Asia/Macau": N_("Macao time ({tz})"),
    "Asia/Taipei": N_("Taipei time ({tz})"),
    "UTC": N_("Coordinated Universal Time ({tz})"),
}
OTHER_TIMEZONE = N_("time zone {tz}")


def timezone_label(name: str) -> str:
    """The organisation's time zone in words with its name: 北京时间（Asia/Shanghai）."""
    return _(TIMEZONES.get(name, OTHER_TIMEZONE), tz=name)


def state_label(state: str) -> str:
    return _(STATES[state]) if state in STATES else state


def post_state_label(state: str) -> str:
    return _(POST_STATES[state]) if state in POST_STATES else state


# What each organisation setting means (domain.settings says it in English, for the rules).
SETTING_HELP = {
    "site_url": N_("the website's public address, used in every link"),
    "timezone": N_("the organisation's time zone"),
    "check_links": N_("fetch the links in drafts when checking them"),
    "notify": N_("where alerts should go (an address for people)"),
    "notify_language": N_("the language alerts are sent in: zh_CN or en"),
    "manual_wait_hours": N_("a manual package waiting longer is an alert"),
    "credentials_warn_days": N_("days before credentials expire to warn"),
    "warn_days": N_("days before an account's update limit to warn, like 7,3"),
    "notice_workdays": N_(
        "working days between a closing notice (停更公告) and the account closing"
    ),
    "repost_warn_hours": N_(
        "hours before a matrix repost's deadline to alert about accounts not yet live"
    ),
    "weibo_rip": N_("the posting staff's public IP address, sent as Weibo's required rip"),
    "author_may_pass": N_(
        "separation of duties: the author may pass gates of their own draft (false)"
    ),
    "distinct_reviewers": N_(
        "separation of duties: the three reviews are passed by three different people (true)"
    ),
    "distinct_proofreaders": N_(
        "separation of duties: the three proofreads are passed by three different people (true)"
    ),
    "one_gate_per_person": N_(
        "separation of duties: nobody passes two gates of the same version (true)"
    ),
}


def setting_help(key: str, default: str) -> str:
    return _(SETTING_HELP[key]) if key in SETTING_HELP else default


QUOTAS = {"hour": N_("{count} an hour"), "day": N_("{count} a day"), "month": N_("{count} a month")}


def quota_label(quota: str) -> str:
    """A quota as the rules write it (``1/day``) in words: 每天 1 条, 1 a day."""
    count, _slash, per = quota.partition("/")
    return _(QUOTAS[per], count=count) if per in QUOTAS and count.isdigit() else quota


def platform_label(key: str) -> str:
    return _(PLATFORMS[key]) if key in PLATFORMS else key


def account_label(account: dict[str, Any]) -> str:
    """An account as ``--json`` names it (``id``, ``name``, ``platform``) in words: 通知公告
    （门户网站）; by its id when it is not on record."""
    if not account.get("name"):
        return _("account {id}", id=account["id"])
    return _(
        "{account} ({platform})",
        account=account["name"],
        platform=platform_label(account.get("platform") or ""),
    )


def gate_label(key: str) -> str:
    return _(GATES[key]) if key in GATES else key


def role_label(role: str) -> str:
    return _(ROLES[role]) if role in ROLES else role


def verdict_label(verdict: str, gate: str | None = None) -> str:
    """A decision in words; an escalation names the check the draft was sent to (its
    decision's ``gate``)."""
    if verdict == "escalate":
        return (
            _("sent to {check}", check=gate_label(gate))
            if gate in GATES
            else _("sent to an extra check")
        )
    return _(VERDICTS[verdict]) if verdict in VERDICTS else verdict


# What the checks find and measure (domain.proofread, channels), as a person reads it.
SEVERITY_LABELS = {"block": N_("must change"), "warn": N_("warning"), "info": N_("for reference")}
CATEGORY_LABELS = {
    "outdated_name": N_("outdated name"),
    "sovereignty": N_("standard wording"),
    "absolute_term": N_("advertising-law term"),
    "confusable": N_("wrong character"),
    "name_title": N_("name and title"),
    "personal_data": N_("personal data"),
    "date": N_("date"),
    "punctuation": N_("punctuation"),
    "link": N_("link"),
    "usage": N_("usage"),
    "allow": N_("allowed words"),
}
MEASURE_LABELS = {
    "title": N_("title"),
    "summary": N_("summary"),
    "digest": N_("summary"),
    "body": N_("body"),
    "content": N_("body"),
    "text": N_("body"),
    "status": N_("Weibo text"),
    "author": N_("author"),
    "topics": N_("topics"),
    "images": N_("pictures"),
    "content_source_url": N_("“read the original” link"),
    "article_html": N_("page body"),
    "html": N_("body (HTML)"),
    "slug": N_("page address"),
    "link": N_("link to the original"),
    # WeChat's cover crops (channels.wechat): where the cover is cut for each card shape
    "pic_crop_235_1": N_("the cover's 2.35:1 crop"),
    "pic_crop_1_1": N_("the cover's 1:1 crop"),
}
# Settings a variant carries that a reader never reads as text: a change is said, not shown.
SETTING_FIELDS = ("pic_crop_235_1", "pic_crop_1_1")


def picture_label(role: str) -> str:
    """A picture of a draft or a variant by its role (``cover``, ``image-1``), in words."""
    if role == "cover":
        return _("cover")
    number = role.removeprefix("image-").removeprefix("image ")
    return _("picture {n}", n=number) if number != role else role


UNIT_LABELS = {
    "chars": N_("characters"),
    "weibo": N_("characters (as Weibo counts)"),
    "utf16-ascii-half": N_("characters (as Xiaohongshu counts)"),
    "bytes": N_("bytes"),
    "html-chars": N_("characters (with markup)"),
    "html-bytes": N_("bytes (with markup)"),
    "images": N_("pictures (count)"),
    "topics": N_("topics (count)"),
}


def labelled(labels: dict[str, str], key: str) -> str:
    """The words for ``key`` in one of the tables above (the key when it has none)."""
    return _(labels[key]) if key in labels else key


# -- help: the CLI's --help speaks the catalog's language too ----------------------------------

# click's own words on a help page (its headings, the usage line, --help's own help).
CLICK_WORDS = (
    N_("[OPTIONS]"),
    N_("COMMAND [ARGS]..."),
    N_("Usage:"),
    N_("Options:"),
    N_("Commands:"),
    N_("Arguments:"),
    N_("Show this message and exit."),
    N_("required"),
    N_("default: {default}"),
)


# What an option or argument takes, as a help page names it (``--from TIME``, ``ACCOUNT_ID``;
# in Chinese ``--from 时间``, ``账号编号``): by the argument's name or the option's (its long
# flag without dashes), else by its type; an option's own metavar is translated as it is.
METAVARS = {
    **dict.fromkeys(("account_id", "account", "parent", "successor", "target"), N_("ACCOUNT_ID")),
    **dict.fromkeys(("draft_id", "draft"), N_("DRAFT_ID")),
    "post_id": N_("POST_ID"),
    "request_id": N_("REQUEST_ID"),
    "finding_id": N_("FINDING_ID"),
    "freeze_id": N_("FREEZE_ID"),
    **dict.fromkeys(("version", "old", "new"), N_("VERSION")),
    "category": N_("CATEGORY"),
    **dict.fromkeys(("file", "body_file", "from_file", "cover", "image"), N_("FILE")),
    **dict.fromkeys(("folder", "out"), N_("DIR")),
    "key": N_("KEY"),
    "value": N_("VALUE"),
    **dict.fromkeys(("name", "admin", "secret_block", "pool", "remove_image"), N_("NAME")),
    "term": N_("TERM"),
    **dict.fromkeys(
        ("from", "to", "not_before", "expires", "deadline", "since", "until"),
        N_("TIME"),
    ),
    **dict.fromkeys(("day", "filed_on", "opened_on", "credentials_expire"), N_("DATE")),
    "month": N_("MONTH"),
    "token": N_("TOKEN"),
    **dict.fromkeys(("url", "published"), N_("URL")),
    **dict.fromkeys(("host", "web_host"), N_("HOST")),
    **dict.fromkeys(("port", "web_port"), N_("PORT")),
    "windows": N_("WINDOWS"),
    "spacing": N_("DURATION"),
    "quota": N_("QUOTA"),
    "update_threshold_days": N_("DAYS"),
    **dict.fromkeys(("group", "fanout"), N_("GROUP")),
    **dict.fromkeys(("channel", "platform"), N_("PLATFORM")),
    "gate": N_("GATE"),
    "check": N_("CHECK"),
    "state": N_("STATE"),
    "severity": N_("SEVERITY"),
    "role": N_("ROLE"),
    "focus": N_("X,Y"),
    "actor": N_("USER"),
    "action": N_("ACTION"),
    "subject": N_("SUBJECT"),
    "column_kind": N_("KIND"),
    "unit_type": N_("TYPE"),
    "operation_mode": N_("MODE"),
    "expect_head": N_("HASH"),
    "ack": N_("ID"),
}
TYPE_METAVARS = {"int": N_("N"), "float": N_("NUMBER"), "path": N_("FILE"), "str": N_("TEXT")}
OWN_METAVARS = (N_("KEY=VALUE"),)  # written beside their options, translated here


def metavar(name: str, takes: str = "") -> str:
    """What option or argument ``name`` takes, in words: ``takes`` is what click would
    show (a type such as ``<str>`` or ``<list[int]>``, or the option's own metavar)."""
    more = "..." if takes.endswith("...") else ""
    takes = takes.removesuffix("...")
    if takes and not takes.startswith("<"):
        return _(takes) + more
    if name in METAVARS:
        return _(METAVARS[name]) + more
    kind = takes.strip("<>").removeprefix("list[").removesuffix("]").lower()
    return _(TYPE_METAVARS.get(kind, N_("TEXT"))) + more


def plain_help(text: str) -> str:
    """Help as a person reads it: ``--once`` (reStructuredText) becomes --once."""
    import inspect
    import re

    return re.sub(r"``([^`]+)``", r"\1", inspect.cleandoc(text))


def help_summary(text: str) -> str:
    """The first sentence of the first paragraph, whole: the line a listing shows."""
    import re

    paragraph = " ".join(text.split("\n\n")[0].split())
    end = re.search(r"(?<!e\.g)(?<!i\.e)[.。](?=\s)", paragraph)
    return paragraph[: end.end()] if end else paragraph


def _paragraphs(text: str) -> str:
    """``text`` translated whole, or else its first paragraph (help written in the code,
    then a paragraph of ids made at run time)."""
    said = catalog(language()).gettext(text)
    if said == text and "\n\n" in text:
        head, gap, rest = text.partition("\n\n")
        said = catalog(language()).gettext(head) + gap + rest
    return said


def help_text(text: str) -> str:
    """A help text as written (an option's, a command's or its summary), in the current
    language; the ``[default: …; required]`` click and Typer add to it, too."""
    base, extra = text, ""
    if text.endswith("]") and "  [" in text:
        base, _gap, extra = text.rpartition("  [")
    elif text.startswith("[") and text.endswith("]"):  # only what click adds
        base, extra = "", text[1:]
    said = _paragraphs(plain_help(base)) if base else base
    if not extra:
        return said
    parts = []
    for part in extra[:-1].split("; "):
        if part == "required":
            parts.append(_("required"))
        elif part.startswith("default: "):
            parts.append(_("default: {default}", default=part.removeprefix("default: ")))
        else:
            parts.append(part)
    return f"{said}  [{'; '.join(parts)}]" if said else f"[{'; '.join(parts)}]"


def extract_cli_help(fileobj: Any, keywords: Any, comment_tags: Any, options: Any) -> Iterator[Any]:
    """A Babel extractor (``console/locale/babel.cfg``) for the CLI's modules: the messages
    marked as anywhere in Python, and the help of every option, group and command (its
    docstring), whole and as the summary a listing shows, as :mod:`console.cli` prints
    them."""
    import ast

    from babel.messages.extract import extract_python

    source = fileobj.read()
    fileobj.seek(0)
    yield from extract_python(fileobj, keywords, comment_tags, options)
    text = source.decode("utf-8") if isinstance(source, bytes) else source
    for node in ast.walk(ast.parse(text)):
        found: list[tuple[int, str, bool]] = []
        if isinstance(node, ast.Call):
            # a group's or command's help is listed by its summary too
            listed = getattr(node.func, "attr", getattr(node.func, "id", "")) in (
                "Typer",
                "command",
            )
            for kw in node.keywords:
                value = kw.value
                if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
                    value = value.left  # written help, then a paragraph of ids made at run time
                if (
                    kw.arg == "help"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                ):
                    found.append((node.lineno, value.value, listed))
        elif isinstance(node, ast.FunctionDef) and any(
            "command" in ast.unparse(d) for d in node.decorator_list
        ):
            doc = ast.get_docstring(node, clean=False)
            if doc:
                found.append((node.lineno, doc, True))
        for line, help_, listed in found:
            whole = plain_help(help_)
            yield line, None, whole, []
            if listed and help_summary(whole) != whole:
                yield line, None, help_summary(whole), []
