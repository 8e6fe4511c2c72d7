"""Which credential fields each platform's channel reads from an account's Secret block.

The values live only in Prefect ``Secret`` blocks; this module knows their *names*, so a
mistyped field (``secret`` for ``signing_secret``) is refused when it is stored instead of
leaving a webhook unsigned or a WeChat account without its appsecret. Platforms that are
posted by hand or written to the website take none.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass

from domain.accounts import Platform, parse_platform
from domain.errors import InvalidInput
from domain.settings import check_ip


@dataclass(frozen=True)
class CredentialField:
    name: str
    required: bool
    help: str


_WECHAT = (
    CredentialField("appid", True, "the account's AppID (开发者ID)"),
    CredentialField("appsecret", True, "its AppSecret (开发者密码)"),
)
FIELDS: dict[Platform, tuple[CredentialField, ...]] = {
    Platform.WECHAT_OA: _WECHAT,
    Platform.WECHAT_SERVICE: _WECHAT,
    Platform.WEIBO: (
        CredentialField("access_token", True, "the OAuth2 access token of the account"),
        CredentialField(
            "rip",
            False,
            "the real IP of the person posting, sent as rip; else MATRIXPUB_WEIBO_RIP",
        ),
    ),
    Platform.WEBHOOK: (
        CredentialField(
            "signing_secret", True, "the HMAC-SHA256 key the receiver checks signatures with"
        ),
    ),
}
# A Secret block holding one bare string is read as {"token": ...} (flows.secrets): for
# Weibo that is the access token.
ALIASES: dict[Platform, dict[str, str]] = {Platform.WEIBO: {"token": "access_token"}}


def fields_of(platform: str) -> tuple[CredentialField, ...]:
    """The credential fields of ``platform``'s channel; refused for a platform with none."""
    plat = parse_platform(platform)
    fields = FIELDS.get(plat)
    if not fields:
        if plat is Platform.WEBSITE:
            raise InvalidInput(
                "{platform} accounts take no credentials: their posts are written to the website",
                platform=plat.value,
            )
        raise InvalidInput(
            "{platform} accounts take no credentials: their posts are posted by hand",
            platform=plat.value,
        )
    return fields


def lacks_credentials(platform: str, *, secret_block: str | None, unsigned: bool = False) -> bool:
    """True when an account's posts cannot be sent for want of credentials: its channel
    needs some and it names no Secret block holding them (a webhook registered
    ``--unsigned`` needs none)."""
    plat = parse_platform(platform)
    if plat is Platform.WEBHOOK and unsigned:
        return False
    return any(f.required for f in FIELDS.get(plat, ())) and not secret_block


def check_credentials(platform: str, values: Mapping[str, str]) -> dict[str, str]:
    """``values`` checked against ``platform``'s fields: every name known, every required
    one present and not empty. Messages name fields, never values."""
    fields = {f.name: f for f in fields_of(platform)}
    aliases = ALIASES.get(parse_platform(platform), {})
    checked: dict[str, str] = {}
    for name, value in values.items():
        field = aliases.get(name, name)
        if field not in fields:
            close = difflib.get_close_matches(name, list(fields), n=1, cutoff=0.5)
            if close:
                raise InvalidInput(
                    "{platform} credentials have no field {name!r}; did you mean {close}? "
                    "(the fields: {fields})",
                    platform=platform,
                    name=name,
                    close=close[0],
                    fields=", ".join(fields),
                )
            raise InvalidInput(
                "{platform} credentials have no field {name!r} (the fields: {fields})",
                platform=platform,
                name=name,
                fields=", ".join(fields),
            )
        if not str(value).strip():
            raise InvalidInput("the credential field {field} is empty", field=field)
        checked[name] = str(value).strip()
    present = {aliases.get(name, name) for name in checked}
    missing = [name for name, f in fields.items() if f.required and name not in present]
    if missing:
        raise InvalidInput(
            "{platform} credentials need {missing}", platform=platform, missing=", ".join(missing)
        )
    if "rip" in checked:
        checked["rip"] = check_ip(checked["rip"], "the credential field rip")
    return checked


def describe() -> str:
    """Every platform's fields, one line each, for ``--help``."""
    lines = []
    seen: dict[tuple[CredentialField, ...], list[str]] = {}
    for platform, fields in FIELDS.items():
        seen.setdefault(fields, []).append(platform.value)
    for fields, platforms in seen.items():
        names = ", ".join(f.name + ("" if f.required else " (optional)") for f in fields)
        lines.append(f"{' and '.join(platforms)}: {names}")
    return "; ".join(lines)
