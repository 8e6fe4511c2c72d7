"""Settings: environment variables with the ``MATRIXPUB_`` prefix, typed in one place.

``load()`` takes the environment as a mapping, so reading it stays the caller's job.

    MATRIXPUB_HOME          data folder (default ~/.matrixpub): database, site, logs, Prefect home
    MATRIXPUB_DATABASE_URL  overrides the SQLite database under MATRIXPUB_HOME
                            (e.g. postgresql+psycopg://user@host/db)
    MATRIXPUB_TOKEN         the acting user's personal token
    MATRIXPUB_TIMEZONE      the organisation's time zone (default Asia/Shanghai)
    MATRIXPUB_SITE_DIR      where the website channel writes (default MATRIXPUB_HOME/site)
    MATRIXPUB_SITE_URL      the public base URL of that site (default file:// of the folder)
    MATRIXPUB_CHECK_LINKS   fetch every link in a draft when checking it (default true; set
                            false on networks that may not reach the outside)
    MATRIXPUB_API_HOSTS     platform API hosts to use instead of the real ones, e.g. a
                            private gateway: "wechat_oa=https://gw.example/wx,weibo=https://..."
    MATRIXPUB_WEIBO_RIP     the public IP address of the organisation's posting staff, sent as
                            Weibo's now required ``rip`` ("the real IP of the acting user");
                            an account's own ``rip`` credential field wins over it. An
                            organisation setting, read from the environment until organisation
                            settings are kept in the database.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from domain.errors import InvalidInput

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
    check_links: bool = True
    weibo_rip: str | None = None

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


def load(environ: Mapping[str, str], *, user_home: PurePath | None = None) -> Settings:
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
    timezone = get("TIMEZONE") or "Asia/Shanghai"
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"MATRIXPUB_TIMEZONE {timezone!r} is not a known time zone") from None
    site_dir = Path(get("SITE_DIR") or home / "site").expanduser().absolute()
    site_url = (get("SITE_URL") or site_dir.as_uri()).rstrip("/")
    api_hosts: list[tuple[str, str]] = []
    for item in (get("API_HOSTS") or "").split(","):
        if not item.strip():
            continue
        key, sep, url = item.partition("=")
        if not sep or not url.strip().startswith(("http://", "https://")):
            raise InvalidInput(f"MATRIXPUB_API_HOSTS entry {item!r} should be key=https://...")
        api_hosts.append((key.strip(), url.strip().rstrip("/")))
    check_links = (get("CHECK_LINKS") or "true").lower()
    if check_links not in ("true", "false", "1", "0", "yes", "no", "on", "off"):
        raise InvalidInput("MATRIXPUB_CHECK_LINKS must be true or false")
    weibo_rip = get("WEIBO_RIP")
    if weibo_rip is not None:
        weibo_rip = check_ip(weibo_rip, "MATRIXPUB_WEIBO_RIP")
    return Settings(
        weibo_rip=weibo_rip,
        check_links=check_links in ("true", "1", "yes", "on"),
        api_hosts=tuple(api_hosts),
        home=home,
        database_url=database_url,
        token=get("TOKEN"),
        timezone=timezone,
        site_dir=site_dir,
        site_url=site_url,
    )


def check_ip(value: str, what: str) -> str:
    """An IPv4 or IPv6 address, as written; anything else is refused naming ``what``."""
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        raise InvalidInput(f"{what} {value!r} is not an IP address like 203.0.113.10") from None
