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

import gettext
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from pathlib import Path
from typing import Any

DOMAIN = "matrixpub"
LOCALE_DIR = Path(__file__).parent / "locale"
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


@cache
def catalog(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[lang], fallback=True)


def _(message: str, /, **values: Any) -> str:
    """``message`` in the current language, with ``{name}`` fields filled from ``values``."""
    text = catalog(language()).gettext(message)
    return text.format(**values) if values else text


def ngettext(singular: str, plural: str, n: int, /, **values: Any) -> str:
    text = catalog(language()).ngettext(singular, plural, n)
    return text.format(n=n, **values)


def error_text(exc: BaseException) -> str:
    """A matrixpub error in the current language (its English message when the catalog
    has no translation for it)."""
    template = getattr(exc, "template", None)
    if template is None:
        return str(exc)
    # Values that are words of the workflow (a state, a role, an action) are translated too.
    words = {**STATES, **ROLES, **PARTIES, **{verb: verb for verb in VERBS}}
    values = {
        key: _(words[value]) if isinstance(value, str) and value in words else value
        for key, value in getattr(exc, "values", {}).items()
    }
    try:
        return _(template, **values)
    except (KeyError, IndexError, ValueError):
        return str(exc)


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
    "editor": N_("editor (1st review)"),
    "chief": N_("section chief (2nd review)"),
    "leader": N_("leader (final review)"),
    "secrecy": N_("secrecy reviewer (保密审查)"),
    "netinfo": N_("cyberspace office (网信)"),
}
# Who may act because of where they stand to the thing (domain.permissions.Party).
PARTIES = {
    "the draft's author": N_("the draft's author"),
    "the account's responsible person (责任人)": N_("the account's responsible person (责任人)"),
    "the person themselves": N_("the person themselves"),
}
VERBS = (N_("edit"), N_("submit"))  # what only a draft's author may do (domain.drafts)
VERDICTS = {"approve": N_("approved"), "reject": N_("sent back")}


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
}
# The platforms by channel key (channels.registry names them in Chinese, for the channels).
PLATFORMS = {
    "wechat_oa": N_("WeChat official account (subscription)"),
    "wechat_service": N_("WeChat service account"),
    "weibo": N_("Sina Weibo"),
    "douyin": N_("Douyin"),
    "xiaohongshu": N_("Xiaohongshu"),
    "toutiao": N_("Toutiao"),
    "kuaishou": N_("Kuaishou"),
    "bilibili": N_("Bilibili"),
    "wechat_channels": N_("WeChat Channels"),
    "website": N_("Portal website"),
    "webhook": N_("Webhook (media hub / internal system)"),
}


def action_label(action: str) -> str:
    """An audit event's action as a person says it (the identifier when it has no words)."""
    return _(ACTIONS[action]) if action in ACTIONS else action


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


def platform_label(key: str) -> str:
    return _(PLATFORMS[key]) if key in PLATFORMS else key


def gate_label(key: str) -> str:
    return _(GATES[key]) if key in GATES else key


def role_label(role: str) -> str:
    return _(ROLES[role]) if role in ROLES else role


def verdict_label(verdict: str) -> str:
    return _(VERDICTS[verdict]) if verdict in VERDICTS else verdict
