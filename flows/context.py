"""What a flow needs to do its work: settings, a database engine and the channels.

Built from the environment when first needed, in whichever process runs the flow (a
CLI command, ``matrixpub serve``, a test), and cached per database URL and site.
"""

from __future__ import annotations

import os
import threading
from dataclasses import dataclass

from sqlalchemy.engine import Engine

from channels.base import Channel, ChannelConfig
from channels.registry import build
from domain.settings import Settings, load, with_stored
from flows.audit_key import read_key
from sqlmodel_db import audit, org_settings
from sqlmodel_db.engine import make_engine, session_scope


@dataclass(frozen=True)
class FlowContext:
    settings: Settings
    engine: Engine
    channels: dict[str, Channel]


_lock = threading.Lock()
_engines: dict[str, Engine] = {}
_channel_sets: dict[ChannelConfig, dict[str, Channel]] = {}


def channel_config(settings: Settings) -> ChannelConfig:
    return ChannelConfig(
        site_dir=settings.site_dir,
        site_url=settings.site_url,
        package_dir=settings.home / "packages",
        timezone=settings.timezone,
        api_hosts=settings.api_hosts,
        weibo_rip=settings.weibo_rip,
    )


def get_context() -> FlowContext:
    """Settings from the environment and the organisation's stored settings (read again
    for every task, so a change an admin makes reaches a running ``serve``)."""
    settings = load(os.environ)
    if audit.key_source() is None:  # a flow served here: Prefect's API is already usable
        audit.use_key_source(lambda create: read_key(create=create))
    with _lock:
        engine = _engines.get(settings.database_url)
        if engine is None:
            engine = _engines[settings.database_url] = make_engine(settings.database_url)
    with session_scope(engine) as session:
        settings = with_stored(settings, org_settings.stored(session=session))
    return context_for(settings, engine)


def context_for(settings: Settings, engine: Engine) -> FlowContext:
    """A context for work a face does itself, with its own settings and engine."""
    config = channel_config(settings)
    with _lock:
        channels = _channel_sets.get(config)
        if channels is None:
            channels = _channel_sets[config] = build(config)
    return FlowContext(settings=settings, engine=engine, channels=channels)


def dispose() -> None:
    """Close pooled connections and forget cached channels (tests switch databases)."""
    with _lock:
        for engine in _engines.values():
            engine.dispose()
        _engines.clear()
        _channel_sets.clear()
