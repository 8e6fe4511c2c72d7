"""Settings: environment variables with the ``MATRIXPUB_`` prefix, typed in one place, and
the organisation's settings an admin keeps in the database.

``load()`` takes the environment as a mapping, and the stored organisation settings as
another, so reading them stays the caller's job.

    MATRIXPUB_HOME          data folder (default ~/.matrixpub): database, site, logs, Prefect home
    MATRIXPUB_DATABASE_URL  overrides the SQLite database under MATRIXPUB_HOME
                            (e.g. postgresql+psycopg://user@host/db)
    MATRIXPUB_TOKEN         the acting user's personal token
    MATRIXPUB_SITE_DIR      where the website channel writes (default MATRIXPUB_HOME/site)
    MATRIXPUB_API_HOSTS     platform API hosts to use instead of the real ones, e.g. a
                            private gateway: "wechat_oa=https://gw.example/wx,weibo=https://..."
    MATRIXPUB_LINK_CHECK_ALLOW  host:port endpoints the link check may fetch although they
                            are not public addresses (an intranet page, a test's local
                            server): "127.0.0.1:8080,intranet.example:443"; none by default

Organisation settings (:data:`ORG_SETTINGS`): set by an admin with ``matrixpub settings
set KEY VALUE``, on record; the environment variable of the same name overrides the stored
value for a process; else the default.

    site_url               MATRIXPUB_SITE_URL     the public base URL of the website (default
                                                  file:// of MATRIXPUB_SITE_DIR: a local preview)
    timezone               MATRIXPUB_TIMEZONE     the organisation's time zone (Asia/Shanghai)
    check_links            MATRIXPUB_CHECK_LINKS  fetch every link in a draft when checking it
                                                  (true; false on networks that may not reach
                                                  the outside)
    notify                 MATRIXPUB_NOTIFY       where alerts should go: a WeCom (企业微信) group
                                                  robot's webhook address or any http(s)
                                                  webhook gets each new alert as a message in
                                                  notify_language; anything else is an
                                                  address for people, shown with the alerts
    notify_language        MATRIXPUB_NOTIFY_LANGUAGE   the language the robot (or webhook)
                                                  is sent alerts in: zh_CN or en (zh_CN)
    warn_days              MATRIXPUB_WARN_DAYS    days before an account's update limit to
                                                  warn (7,3)
    notice_workdays        MATRIXPUB_NOTICE_WORKDAYS   working days between a 停更公告 and
                                                  the account closing (15)
    manual_wait_hours      MATRIXPUB_MANUAL_WAIT_HOURS   a manual package waiting longer is
                                                  an alert (24)
    credentials_warn_days  MATRIXPUB_CREDENTIALS_WARN_DAYS   warn this long before an
                                                  account's credentials expire (7)
    repost_warn_hours      MATRIXPUB_REPOST_WARN_HOURS   alert this long before a 集中转载
                                                  deadline about accounts not yet live (2)
    weibo_rip              MATRIXPUB_WEIBO_RIP    the public IP address of the organisation's
                                                  posting staff, sent as Weibo's now required
                                                  ``rip`` ("the real IP of the acting user");
                                                  an account's own ``rip`` credential field
                                                  wins over it (none)
    author_may_pass, distinct_reviewers, distinct_proofreaders, one_gate_per_person
                           the separation of duties (``domain.gates.SeparationRules``);
                           no environment variable overrides these: a person's own
                           environment must not relax the rules their decisions obey
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path, PurePath
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import InvalidInput
from domain.gates import SEPARATION_SETTINGS

PREFIX = "MATRIXPUB_"


@dataclass(frozen=True)
class Settings:
    home: Path
    database_url: str
    token: str | None
    timezone: str
    site_dir: Path
    site_url: str
    api_hosts: tuple[tuple[str, str], ...] = ()
    link_check_allow: tuple[tuple[str, int], ...] = ()
    check_links: bool = True
    notify: str | None = None
    notify_language: str = "zh_CN"
    manual_wait_hours: int = 24
    credentials_warn_days: int = 7
    warn_days: tuple[int, ...] = (7, 3)
    notice_workdays: int = 15
    repost_warn_hours: int = 2
    weibo_rip: str | None = None
    # The separation of duties (domain.gates.SeparationRules): the defaults are strict.
    author_may_pass: bool = False
    distinct_reviewers: bool = True
    distinct_proofreaders: bool = True
    one_gate_per_person: bool = True
    # Which organisation settings the environment gave (they override stored ones), and
    # which came from the database.
    from_env: frozenset[str] = frozenset()
    from_store: frozenset[str] = frozenset()

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def uses_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def log_dir(self) -> Path:
        return self.home / "logs"

    @property
    def prefect_home(self) -> Path:
        return self.home / "prefect"


# -- organisation settings -------------------------------------------------------------------
def _site_url(text: str, where: str) -> str:
    if not text.startswith(("http://", "https://", "file://")):
        raise InvalidInput(
            "{where} must be an http:// or https:// address, not {text!r}", where=where, text=text
        )
    return text.rstrip("/")


def _timezone(text: str, where: str) -> str:
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(
            "{where} {text!r} is not a known time zone", where=where, text=text
        ) from None
    return text


_TRUE, _FALSE = ("true", "1", "yes", "on"), ("false", "0", "no", "off")


def _flag(text: str, where: str) -> bool:
    if text.lower() not in _TRUE + _FALSE:
        raise InvalidInput("{where} must be true or false", where=where)
    return text.lower() in _TRUE


def _count(low: int, high: int) -> Callable[[str, str], int]:
    def parse(text: str, where: str) -> int:
        if not text.isdigit() or not low <= int(text) <= high:
            raise InvalidInput(
                "{where} must be a whole number from {low} to {high}",
                where=where,
                low=low,
                high=high,
            )
        return int(text)

    return parse


def _notify(text: str, where: str) -> str:
    if len(text) > 200 or "\n" in text:
        raise InvalidInput("{where} must be one line of at most 200 characters", where=where)
    return text


NOTIFY_LANGUAGES = ("zh_CN", "en")  # the languages of the message catalog (console/locale)


def _language(text: str, where: str) -> str:
    """``zh_CN`` or ``en`` (``zh-CN`` and ``EN`` as well); anything else is refused."""
    for language in NOTIFY_LANGUAGES:
        if text.replace("-", "_").lower() == language.lower():
            return language
    raise InvalidInput("{where} must be zh_CN or en, not {text!r}", where=where, text=text)


def _warn_days(text: str, where: str) -> tuple[int, ...]:
    from domain.keepalive import parse_warn_days

    return parse_warn_days(text, where)


def check_ip(value: str, what: str) -> str:
    """An IPv4 or IPv6 address, as written; anything else is refused naming ``what``."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise InvalidInput(
            "{what} {value!r} is not an IP address like 203.0.113.10", what=what, value=value
        ) from None


@dataclass(frozen=True)
class OrgSetting:
    key: str
    help: str
    parse: Callable[[str, str], Any]
    env_overrides: bool = True  # an environment variable of the same name overrides it

    @property
    def env(self) -> str:
        return PREFIX + self.key.upper() if self.env_overrides else ""


ORG_SETTINGS: dict[str, OrgSetting] = {
    s.key: s
    for s in (
        OrgSetting("site_url", "the website's public address, used in every link", _site_url),
        OrgSetting("timezone", "the organisation's time zone", _timezone),
        OrgSetting("check_links", "fetch the links in drafts when checking them", _flag),
        OrgSetting("notify", "where alerts should go (an address for people)", _notify),
        OrgSetting("notify_language", "the language alerts are sent in: zh_CN or en", _language),
        OrgSetting(
            "manual_wait_hours", "a manual package waiting longer is an alert", _count(1, 720)
        ),
        OrgSetting(
            "credentials_warn_days",
            "days before credentials expire to warn",
            _count(1, 90),
        ),
        OrgSetting(
            "warn_days", "days before an account's update limit to warn, like 7,3", _warn_days
        ),
        OrgSetting(
            "notice_workdays",
            "working days between a 停更公告 and the account closing",
            _count(1, 120),
        ),
        OrgSetting(
            "repost_warn_hours",
            "hours before a 集中转载 deadline to alert about accounts not yet live",
            _count(1, 168),
        ),
        OrgSetting(
            "weibo_rip",
            "the posting staff's public IP address, sent as Weibo's required rip",
            check_ip,
        ),
        *(
            OrgSetting(key, "separation of duties: " + meaning, _flag, env_overrides=False)
            for key, meaning in SEPARATION_SETTINGS.items()
        ),
    )
}


def parse_org_setting(key: str, value: str) -> Any:
    """The typed value of an organisation setting, or InvalidInput naming it."""
    setting = ORG_SETTINGS.get(key)
    if setting is None:
        raise InvalidInput(
            "unknown setting {key!r}; known: {ORG_SETTINGS}",
            key=key,
            ORG_SETTINGS=", ".join(ORG_SETTINGS),
        )
    if key == "site_url" and not value.strip().startswith(("http://", "https://")):
        raise InvalidInput("site_url must be the site's public http:// or https:// address")
    return setting.parse(value.strip(), key)


def org_setting_text(settings: Settings, key: str) -> str:
    """An organisation setting's value as a person types it."""
    value = getattr(settings, key)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ",".join(map(str, value))
    return "" if value is None else str(value)


def with_stored(settings: Settings, stored: Mapping[str, str]) -> Settings:
    """``settings`` with the stored organisation settings applied where the environment
    gave none (the environment overrides the database)."""
    changes: dict[str, Any] = {}
    for key, text in stored.items():
        setting = ORG_SETTINGS.get(key)
        if setting is None or key in settings.from_env or not text.strip():
            continue
        changes[key] = setting.parse(text.strip(), f"the stored setting {key}")
    if not changes:
        return settings
    return replace(settings, **changes, from_store=frozenset(changes))


def load(
    environ: Mapping[str, str],
    *,
    user_home: PurePath | None = None,
    stored: Mapping[str, str] | None = None,
) -> Settings:
    def get(name: str) -> str | None:
        value = environ.get(PREFIX + name)
        return value.strip() if value and value.strip() else None

    home_text = get("HOME")
    if home_text:
        home = Path(home_text).expanduser()
    else:
        home = Path(user_home or Path("~").expanduser()) / ".matrixpub"
    home = home.absolute()
    database_url = get("DATABASE_URL") or f"sqlite:///{home / 'matrixpub.db'}"
    if not (database_url.startswith("sqlite") or database_url.startswith("postgresql")):
        raise InvalidInput(
            "MATRIXPUB_DATABASE_URL must be a sqlite:/// or postgresql+psycopg:// URL"
        )
    if database_url.startswith("postgresql://"):
        database_url = "postgresql+psycopg://" + database_url.removeprefix("postgresql://")
    site_dir = Path(get("SITE_DIR") or home / "site").expanduser().absolute()
    org: dict[str, Any] = {}
    for key, setting in ORG_SETTINGS.items():
        text = get(key.upper()) if setting.env_overrides else None
        if text is not None:
            org[key] = setting.parse(text, setting.env)
    api_hosts: list[tuple[str, str]] = []
    for item in (get("API_HOSTS") or "").split(","):
        if not item.strip():
            continue
        key, sep, url = item.partition("=")
        if not sep or not url.strip().startswith(("http://", "https://")):
            raise InvalidInput(
                "MATRIXPUB_API_HOSTS entry {item!r} should be key=https://...", item=item
            )
        api_hosts.append((key.strip(), url.strip().rstrip("/")))
    allow: list[tuple[str, int]] = []
    for item in (get("LINK_CHECK_ALLOW") or "").split(","):
        if not item.strip():
            continue
        host, sep, port = item.strip().rpartition(":")
        if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise InvalidInput(
                "MATRIXPUB_LINK_CHECK_ALLOW entry {item!r} should be host:port", item=item
            )
        allow.append((host.strip("[]").lower(), int(port)))
    settings = Settings(
        api_hosts=tuple(api_hosts),
        link_check_allow=tuple(allow),
        home=home,
        database_url=database_url,
        token=get("TOKEN"),
        timezone="Asia/Shanghai",
        site_dir=site_dir,
        site_url=site_dir.as_uri(),
        from_env=frozenset(org),
    )
    settings = replace(settings, **org)
    return with_stored(settings, stored) if stored else settings
