"""Trying an account's credentials against its platform (``account credentials --test``):
the channel's cheapest authenticated call, nothing published."""

from __future__ import annotations

from collections.abc import Mapping

from channels.base import ChecksCredentials, CredentialCheck
from channels.http import PlatformSession
from channels.registry import build
from domain.settings import Settings
from flows.context import channel_config
from flows.steps import target_of
from sqlmodel_db.models import Account


def check_credentials(
    settings: Settings, account: Account, secret: Mapping[str, str] | None
) -> CredentialCheck:
    channel = build(channel_config(settings)).get(account.platform)
    if not isinstance(channel, ChecksCredentials):
        return CredentialCheck(ok=False, detail=f"{account.platform} accounts take no credentials")
    with PlatformSession() as http:
        return channel.check_credentials(target_of(account), secret=secret, http=http)
