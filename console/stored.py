"""Texts stored as data and shown to people later, in the language of whoever reads them.

An alert's message, a post's last delivery error, a variant's problems and an account's
pause reason are written once, in English, where they happen (``sqlmodel_db``,
``channels``, ``flows``), and kept as written: ``--json`` and the JSON API show them so.
Each is made from one of the templates below with its values; :func:`stored_text` finds the
template a stored text was made from, translates it with the catalog and fills in the
values (themselves translated when they are words or stored texts of their own). A reason
in the older words its producer still names (``domain.reasons.AS_STORED_BEFORE``) is said as
that reason reads now. A text made from no template here — another older wording, a
platform's own message — is shown as stored.

Each template is the producer's wording with ``{fields}`` where its values go; a test
makes each kind of text through the code that writes it and reads it back translated.
"""

from __future__ import annotations

import re
import string
from functools import cache

from console.i18n import (
    GATES,
    N_,
    PLATFORMS,
    STATES,
    _,
    catalog,
    gate_label,
    language,
    platform_label,
    state_label,
    word,
)
from domain.reasons import AS_STORED_BEFORE, REASONS, then_separator

TEMPLATES = (
    # alerts (sqlmodel_db.alerts, .posts, .schedule, .sending)
    N_(
        "post {post_id} to account {account_id} failed: {detail}. `matrixpub post retry "
        "{post_id}` sends it again; `matrixpub post resolve {post_id} --published URL` if it "
        "is live after all; `matrixpub post cancel {post_id} --reason ...` closes it"
    ),
    N_(
        "post {post_id} to account {account_id} ({name}) failed: {detail}. `matrixpub post "
        "retry {post_id}` sends it again; `matrixpub post resolve {post_id} --published URL` "
        "if it is live after all; `matrixpub post cancel {post_id} --reason ...` closes it"
    ),
    N_(
        "post {post_id} to account {account_id}: the platform may or may not have received it; "
        "settle it with `matrixpub post resolve {post_id} --published URL` or `--not-published`"
    ),
    N_(
        "post {post_id}: the manual package for account {account_id} has been waiting for a "
        "person for {hours} hours; post it and run `matrixpub post confirm {post_id} --url "
        "URL`, or `matrixpub post cancel {post_id} --reason ...`"
    ),
    N_("account {account_id} ({name}) is paused: {reason}"),
    N_("account {account_id} ({name}) held until {until}: {reason}"),
    N_("account {account_id} ({name}) paused: {reason}"),
    N_("{failures} deliveries failed in a row; last: {detail}"),
    N_("post {post_id} was {state} when {answer} arrived; {then}"),
    N_("it is not sent again"),
    N_("it is being sent again right now: check the platform for a second copy"),
    N_("the post was marked failed or cancelled: check the platform and settle it"),
    N_("nothing was changed"),
    N_("late answer: {detail}"),
    N_(
        "account {account_id} ({name}): its {platform} credentials expired at {when}; "
        "authorise it again and store the new ones with `matrixpub account credentials "
        "{account_id} --secret-block NAME ... --test`, or record their end with `matrixpub "
        "account change {account_id} --credentials-expire DATE`"
    ),
    N_(
        "account {account_id} ({name}): its {platform} credentials expire at {when}; "
        "authorise it again and store the new ones with `matrixpub account credentials "
        "{account_id} --secret-block NAME ... --test`, or record their end with `matrixpub "
        "account change {account_id} --credentials-expire DATE`"
    ),
    N_("no reason on record"),
    # alerts that keep their notice's Chinese line after them (sqlmodel_db.alerts,
    # .governance, .reposts; shown by their first line: alert_text)
    N_(
        "account {account_id} ({name}) has published nothing for {days} days; its limit is {limit}."
    ),
    N_(
        "account {account_id} ({name}) must publish within {days_left} days "
        "(limit {limit}, warning at {stage} days)."
    ),
    N_(
        "account {account_id} ({name}) was approved to open: file it in the national reporting "
        "system (全国政务新媒体信息报送系统) by {due}, then record the filing with "
        "`matrixpub account filed {account_id} --record-no NUMBER`"
    ),
    N_(
        "account {account_id} ({name}) closed on {closed_on}: file its closing in the national "
        "reporting system (全国政务新媒体信息报送系统) by {due}, then record the filing with "
        "`matrixpub account filed {account_id} --record-no NUMBER`"
    ),
    N_(
        "matrix repost (集中转载) of “{title}” (draft {draft_id}) to account {account_id} "
        "({account}; responsible: {responsible}): published at {published}, after its "
        "deadline {deadline}."
    ),
    N_(
        "matrix repost (集中转载) of “{title}” (draft {draft_id}) to account {account_id} "
        "({account}; responsible: {responsible}): its deadline {deadline} has passed and it "
        "is not published."
    ),
    N_(
        "matrix repost (集中转载) of “{title}” (draft {draft_id}) to account {account_id} "
        "({account}; responsible: {responsible}): no post is planned for it; the deadline is "
        "{deadline}."
    ),
    N_(
        "matrix repost (集中转载) of “{title}” (draft {draft_id}) to account {account_id} "
        "({account}; responsible: {responsible}): planned for {due}, after its deadline "
        "{deadline}."
    ),
    N_(
        "matrix repost (集中转载) of “{title}” (draft {draft_id}) to account {account_id} "
        "({account}; responsible: {responsible}): not published yet, and its deadline "
        "{deadline} is near."
    ),
    # a variant's problems (channels)
    N_("the title is empty"),
    N_("the Weibo text is empty"),
    N_(
        "the Weibo text counts {value} (two ASCII characters count as one, a link 10); Weibo "
        "allows {limit}. Shorten it or send the draft to the website too, so a summary and "
        "the link can be posted"
    ),
    N_(
        "Weibo share needs a link to the organisation's website (its safe domain {domain}); "
        "send the draft to the website too"
    ),
    N_("the title counts {value}; {channel} needs at least {limit}"),
    N_("the text has {value} topics; {channel} allows at most {limit} — remove {extra}"),
    N_(
        "the {field} counts {value} {unit}; {channel} allows {limit} — shorten it (it is "
        "never cut automatically)"
    ),
    N_("the {channel} text is empty"),
    N_("a {channel} post needs at least {n} picture; add a cover"),
    N_("picture {src} is not attached to the draft"),
    N_("{field} has {value} characters; the website allows {limit}"),
    N_("the {what} has {value} {unit}; WeChat allows {limit}"),
    N_("a WeChat article needs a cover picture"),
    N_("the link {url} is {problem}, not a public address; {hint}"),
    N_(
        "set the organisation's public site address: matrixpub settings set site_url "
        "https://... (or MATRIXPUB_SITE_URL)"
    ),
    N_("link to a page the public can open"),
    N_("a {scheme} address"),  # why a link is not public (domain.links)
    # delivery errors (channels)
    N_("the variant has {n} unresolved problem(s); it cannot be sent"),
    N_("the Weibo account has no access token on record"),
    N_(
        "the Weibo account has no access token on record, so nothing is sent to it: authorise it "
        "on Weibo and store its login with `matrixpub account credentials {account_id} "
        "--secret-block NAME --value access_token=... --test`, then let its queue run again with "
        "`matrixpub account unpause {account_id} --reason ...`"
    ),
    N_(
        "the WeChat account has no credentials (appid and appsecret) on record, so nothing is "
        "sent to it: store them with `matrixpub account credentials {account_id} --secret-block "
        "NAME --value appid=... --value appsecret=... --test`, then let its queue run again with "
        "`matrixpub account unpause {account_id} --reason ...`"
    ),
    N_("Weibo rejected the access token ({code} {error}); the account must be authorised again"),
    N_("Weibo rate limit reached ({code} {error}); try again later"),
    N_("{step}: {what}; it is safe to try again"),
    N_(
        "{step}: {what} after the request was sent; the platform may have acted on it, so it "
        "is not sent again until the outcome is checked"
    ),
    N_("{step}: could not connect within {seconds} s; nothing was sent"),
    N_("{step}: the TLS handshake failed; nothing was sent"),
    N_("{step}: could not connect to the platform; nothing was sent"),
    N_("{step}: the platform answered HTTP {status}; try again later"),
    N_(
        "{step}: the platform answered HTTP {status} after the request was sent; it may have "
        "acted on it, so it is not sent again until the outcome is checked"
    ),
    N_("{step}: the platform answered HTTP {status}"),
    N_("{step}: the answer carried no status id"),
    N_("{step}: {what}; try again later"),
    N_(
        "the website could not write {path}: {error}; the article is not listed, it is safe "
        "to try again"
    ),
    # what became of a post, kept as its last note (sqlmodel_db.posts, .queue, .accounts,
    # .governance, flows.delivery, channels)
    N_("the WeChat account has no credentials (appid and appsecret) on record"),
    N_("the webhook account has no endpoint URL on record"),
    N_("cancelled by {name}: {reason}"),
    N_("retried by {name}"),
    N_("resolved by {name}: not published, sending again"),
    N_("not sent: {reason}"),
    N_("reconciled with the platform: {detail}"),
    N_("void: {reason}"),
    N_("expired before it was posted"),
    N_("expired: withdrawn from the website"),
    N_("the dispatcher stopped while this request was in flight"),
    N_("the dispatcher stopped during the send; whether the platform received it is unknown"),
    N_("account {account_id} {state}: {reason}"),
    # what a send or a credential check did (channels: a receipt's or a check's detail)
    N_("written to {path}"),
    N_("delivered (HTTP {status})"),
    N_("submitted; WeChat is publishing"),
    N_("WeChat is publishing"),
    N_("found among the published articles (freepublish/batchget)"),
    N_("shared"),
    N_("the webhook account has no endpoint URL"),
    N_("the webhook account has no signing_secret"),
    N_("the endpoint accepted a {what} (HTTP {status})"),
    N_("the endpoint answered a signed ping with HTTP {status}"),
    N_("the endpoint answered a signed ping with HTTP {status} ({excerpt})"),
    N_(
        "the endpoint answered a signed ping with HTTP {status}: it does not accept this "
        "signing secret"
    ),
    N_(
        "the endpoint answered a signed ping with HTTP {status} ({excerpt}): it does not "
        "accept this signing secret"
    ),
    N_(
        "WeChat issued an access token and answered get_api_domain_ip: the appid and "
        "appsecret work from this server's address"
    ),
    N_("the Weibo account has no access token"),
    # where in a word list a problem is (domain.proofread.lexicon.LexiconProblem's values)
    N_("lexicon {category}"),
    N_("{where}, entry {n}"),
    N_("{where}, entry {n} ({term})"),
    N_("{where}, entry {n} ({term}) title"),
    N_("{where}, whitelist"),
    N_("line {n}"),
    # what a command is doing, while it waits (flows.trigger, flows.serve, console.actions)
    N_("Running {flow}"),
    N_("Starting Prefect's embedded server"),
    N_("Starting Prefect's embedded server (first run: creating its database, about 20 s)"),
    N_(
        "Starting a local Prefect server in the background; later commands reuse it, it "
        "exits after {minutes} idle minutes (`matrixpub server stop` stops it now)"
    ),
    N_(
        "Starting a local Prefect server in the background (first run: creating its "
        "database, about 20 s); later commands reuse it, it exits after {minutes} idle "
        "minutes (`matrixpub server stop` stops it now)"
    ),
    N_("Starting the local Prefect server on port {port}"),
    N_("Asking {platform} whether the credentials work…"),
)

# What another library writes that reaches people as a value of our own messages: tomllib's
# words for what is wrong with a TOML file (domain.proofread.lexicon keeps where it is apart).
FOREIGN_TEMPLATES = (
    N_("Cannot overwrite a value"),
    N_("Escaped character is not a Unicode scalar value"),
    N_("Expected '=' after a key in a key/value pair"),
    N_("Expected ']' at the end of a table declaration"),
    N_("Expected ']]' at the end of an array declaration"),
    N_("Invalid date or datetime"),
    N_("Invalid hex value"),
    N_("Invalid initial character for a key part"),
    N_("Invalid statement"),
    N_("Invalid value"),
    N_("Unclosed array"),
    N_("Unclosed inline table"),
    N_("Unescaped '\\' in a string"),
    N_("Unterminated string"),
    N_("Cannot declare {key} twice"),
    N_("Cannot mutate immutable namespace {key}"),
    N_("Cannot redefine namespace {key}"),
    N_("Duplicate inline table key {key}"),
    N_("Expected {expected}"),
    N_("Found invalid character {char}"),
    N_("Illegal character {char}"),
)

# Words that are values of the templates above, as the producers write them.
VALUE_WORDS = {
    "characters": N_("characters"),
    "bytes": N_("bytes"),
    "characters (two ASCII characters count as one)": N_(
        "characters (two ASCII characters count as one)"
    ),
    "characters (two ASCII characters count as one, an emoji as two)": N_(
        "characters (two ASCII characters count as one, an emoji as two)"
    ),
    "text": N_("text"),
    "topics": N_("topics"),
    "author": N_("author"),
    "digest": N_("digest"),
    "article": N_("article"),
    "阅读原文 link": N_("阅读原文 link"),
    "(not configured)": N_("(not configured)"),
    "not on record": N_("not on record"),  # no responsible person (sqlmodel_db.reposts)
    # what a webhook's ping was (channels.webhook.WebhookChannel.check)
    "signed ping": N_("signed ping"),
    "ping (unsigned, as registered)": N_("ping (unsigned, as registered)"),
    # why a link is not a public address (domain.links.not_public)
    "a file on this computer": N_("a file on this computer"),
    "relative": N_("relative"),
    "not a well-formed address": N_("not a well-formed address"),
    "an address without a host": N_("an address without a host"),
    "this computer (loopback)": N_("this computer (loopback)"),
    "a name only a private network knows": N_("a name only a private network knows"),
    "a link-local address": N_("a link-local address"),
    "a multicast address": N_("a multicast address"),
    "a reserved address": N_("a reserved address"),
    "a private network address": N_("a private network address"),
    "failed": N_("failed"),
    "cancelled": N_("cancelled"),
    "sending": N_("sending"),
    "queued": N_("queued"),
    "published": N_("published"),
    "unknown": N_("unknown"),
    # the flows a command runs, as its spinner names them (flows.trigger: "Running {flow}")
    "prepare-versions": N_("the checks and each channel's rendering"),
    "plan-posts": N_("the planning of the posts"),
    "dispatch": N_("the delivery of due posts"),
    "preview-version": N_("the previews"),
    "check-version": N_("the checks"),
    "housekeeping": N_("the daily housekeeping"),
}


@cache
def _patterns() -> tuple[tuple[str, str, int, re.Pattern[str]], ...]:
    """Each template with its literal start, how much of it is literal, and its pattern."""
    made = []
    said_as = [(t, t) for t in TEMPLATES + FOREIGN_TEMPLATES + tuple(REASONS.values())]
    # a reason in its older words is said as the reason under the same key says it now
    said_as += [(REASONS[key], old) for key, old in AS_STORED_BEFORE.items()]
    for template, written in said_as:
        parts, seen, literal = [], set(), 0
        for text, field, _spec, _conv in string.Formatter().parse(written):
            parts.append(re.escape(text))
            literal += len(text)
            if field is None:
                continue
            parts.append(f"(?P={field})" if field in seen else f"(?P<{field}>.+?)")
            seen.add(field)
        head = next(string.Formatter().parse(written))[0]
        made.append((template, head, literal, re.compile("".join(parts), re.S)))
    # the most literal first: a specific template wins over a general one
    return tuple(sorted(made, key=lambda m: -m[2]))


def _value(value: str) -> str:
    if value in VALUE_WORDS:
        return _(VALUE_WORDS[value])
    shown = stored_text(value)
    if shown != value:
        return shown
    if value in PLATFORMS:
        return platform_label(value)
    if value in STATES:  # a draft's state
        return state_label(value)
    label, _space, key = value.rpartition(" ")
    if label and key in GATES:  # a gate's title: 一校 proofread_1
        return gate_label(key)
    return word(value)


def stored_text(text: str | None) -> str:
    """A stored text in the current language (as stored when no template made it)."""
    if not text:
        return text or ""
    if catalog(language()).gettext(text) != text:
        return _(text)
    joined = _joined(text)
    if joined is not None:
        return joined
    for template, head, _literal, pattern in _patterns():
        if not text.startswith(head):
            continue
        found = pattern.fullmatch(text)
        if found is None:
            continue
        values = {name: _value(value) for name, value in found.groupdict().items()}
        return _(template, **values)
    return text


# A problem the checks found, as a submission reports it: ``[version N: ]channel: message``
# (flows.steps.RenderOutcome, flows.prepare).
_PROBLEM = re.compile(r"(?:version (?P<version>\d+): )?(?P<channel>[a-z_]+): (?P<message>.+)", re.S)


def problem_text(problem: str) -> str:
    """A problem that sent a draft back, in the current language: the platform by its name
    and the problem's own words (as stored when it is not such a problem)."""
    found = _PROBLEM.fullmatch(problem)
    if found is None or found["channel"] not in PLATFORMS:
        return stored_text(problem)
    shown = _(
        "{platform}: {problem}",
        platform=platform_label(found["channel"]),
        problem=stored_text(found["message"]),
    )
    if found["version"]:
        shown = _("version {n}: {problem}", n=found["version"], problem=shown)
    return shown


def _joined(text: str) -> str | None:
    """Reasons the planner joined with ``then`` (domain.reasons), each in the current
    language, or None when the text is not such a list of texts made from templates."""
    parts = text.split(then_separator())
    if len(parts) < 2 or not all(_made_from_template(part) for part in parts):
        return None
    shown = stored_text(parts[0])
    for part in parts[1:]:
        shown = _(REASONS["then"], first=shown, then=stored_text(part))
    return shown


def alert_text(kind: str, message: str | None) -> str:
    """An alert's message in the current language. An alert of the kinds that keep their
    notice's own line after the first (``sqlmodel_db.schedule.NOTICE_KINDS``: the Chinese
    line the organisation's notification address is sent) is shown by its first line; one
    stored before it had a first line made from a template is shown as stored."""
    from sqlmodel_db.schedule import NOTICE_KINDS

    text = message or ""
    first, newline, _notice = text.partition("\n")
    if newline and kind in NOTICE_KINDS:
        shown = stored_text(first)
        if shown != first or _made_from_template(first):
            return shown
    return stored_text(text)


def _made_from_template(text: str) -> bool:
    return any(
        text.startswith(head) and pattern.fullmatch(text) for _t, head, _l, pattern in _patterns()
    )
