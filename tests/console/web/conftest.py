"""The web console over HTTP, with FastAPI's test client, against a fresh home and
database; flows started by the console run on the session's embedded Prefect server. For
the browser tests, the console served by uvicorn on a port (``site``); their browser is
``chromium`` (tests/console/conftest.py)."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from console import actions, people
from console.web import create_app
from console.workspace import Workspace
from domain.gates import Verdict
from sqlmodel_db.drafts import Upload
from tests.factories import jpeg

PASSWORD = "correct-horse-7"
TEAM = [
    ("admin", "admin"),
    ("author", "author"),
    ("p1", "proofreader"),
    ("editor", "editor"),
    ("p2", "proofreader"),
    ("chief", "chief"),
    ("p3", "proofreader"),
    ("leader", "leader"),
]
GATES = [("p1", "proofread_1"), ("editor", "review_1"), ("p2", "proofread_2"),
         ("chief", "review_2"), ("p3", "proofread_3"), ("leader", "review_3")]  # fmt: skip
BODY = (
    "各区县文化和旅游局：\n\n现将冬季文旅消费季有关事项通知如下。\n\n"
    "## 一、时间\n\n2026年12月15日起。\n"
)
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# The organisation's public site, as an admin sets it (`matrixpub settings set site_url`):
# without it the website's links are file:// ones, which no other channel may carry.
SITE_URL = "https://wlj.example.gov.cn"


@pytest.fixture
def shots(tmp_path: Path, request: pytest.FixtureRequest) -> list[Path]:
    """Where a browser test writes its screenshots: the test's own folder, and the folder
    ``--screenshots`` names (docs/screenshots for the README)."""
    folders = [tmp_path / "screenshots"]
    also = request.config.getoption("--screenshots")
    if also:
        folders.append(Path(also))
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    return folders


def shown(exc: BaseException, language: str = "zh_CN") -> str:
    """A refusal as the console shows it (by default to a person who chose no language)."""
    from console.i18n import error_text, use_language

    with use_language(language):
        return error_text(exc)


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no csrf_token field"
    return found.group(1)


@dataclass
class Person:
    """One browser: a test client with its own cookies."""

    name: str
    client: TestClient

    def login(self, password: str = PASSWORD) -> Any:
        page = self.client.get("/login")
        return self.client.post(
            "/login",
            data={"username": self.name, "password": password, "csrf_token": csrf_of(page.text)},
            follow_redirects=False,
        )

    def csrf(self, path: str = "/") -> str:
        return csrf_of(self.client.get(path).text)

    def post(self, path: str, data: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        data = {"csrf_token": self.csrf(), **(data or {})}
        return self.client.post(path, data=data, follow_redirects=False, **kwargs)


@dataclass
class Console:
    home: Path
    app: Any
    ws: Workspace
    tokens: dict[str, str] = field(default_factory=dict)
    accounts: dict[str, int] = field(default_factory=dict)
    clients: list[TestClient] = field(default_factory=list)

    def person(self, name: str, *, login: bool = True, https: bool = False) -> Person:
        client = TestClient(
            self.app, base_url="https://testserver" if https else "http://testserver"
        )
        self.clients.append(client)
        who = Person(name, client)
        if login:
            assert who.login().status_code == 303
        return who

    def as_token(self, name: str) -> Workspace:
        return Workspace.from_env(token=self.tokens[name])

    def wait_flows(self) -> None:
        self.app.state.flows.join()

    def draft(self, *, title: str = "关于举办冬季文旅消费季活动的通知", body: str = BODY,
              targets: list[str] | None = None, submit: bool = True) -> int:  # fmt: skip
        made = actions.create_draft(
            self.as_token("author"),
            title=title,
            body=body,
            summary="冬季文旅消费季12月15日开幕",
            cover=Upload(jpeg(1600, 900), "image/jpeg"),
            targets=[self.accounts[k] for k in (targets or ["web"])],
        )
        if submit:
            actions.submit_draft(self.as_token("author"), made["id"])
        return int(made["id"])

    def pass_gates(self, draft_id: int, upto: int) -> None:
        for who, gate in GATES[:upto]:
            version = actions.show_draft(self.as_token(who), draft_id)["version"]
            actions.decide(
                self.as_token(who), draft_id, verdict=Verdict.APPROVE,
                opinion=f"{who} 同意", version=version, gate=gate,
            )  # fmt: skip


@pytest.fixture
def console(prefect_ready: Path, home: Path) -> Iterator[Console]:
    from flows.context import dispose

    admin = actions.init(Workspace.from_env(), admin="admin")
    tokens = {"admin": admin["token"]}
    admin_ws = Workspace.from_env(token=tokens["admin"])
    actions.set_setting(admin_ws, "site_url", SITE_URL)
    for name, role in TEAM[1:]:
        tokens[name] = actions.add_user(admin_ws, name=name, roles=[role])["token"]
    for name, _role in TEAM:
        people.set_password(admin_ws, name, password=PASSWORD)
    accounts = {
        "web": actions.register_account(
            admin_ws, platform="website", name="通知公告", unit="市文化和旅游局",
            platform_id="notices", is_main=True, group_name="culture",
        )["id"],
        "douyin": actions.register_account(
            admin_ws, platform="douyin", name="古城文旅", unit="市文化和旅游局",
            platform_id="gucheng", group_name="culture",
        )["id"],
    }  # fmt: skip
    ws = Workspace.from_env()
    app = create_app(ws)
    made = Console(home=home, app=app, ws=ws, tokens=tokens, accounts=accounts)
    yield made
    made.wait_flows()
    for client in made.clients:
        client.close()
    app.state.flows.close()
    ws.close()
    dispose()


def find_raw(html: str, needle: str) -> list[str]:
    """Where ``needle`` stands unescaped in a page, with some context (for messages)."""
    return [
        html[max(0, m.start() - 80) : m.end() + 40] for m in re.finditer(re.escape(needle), html)
    ]


# -- the console served for the browser tests ---------------------------------------------
# The people of the browser tests, by the names a person reads.
BROWSER_TEAM = [("admin", "admin"), ("王小文", "author"), ("陈校对", "proofreader"),
                ("赵编辑", "editor"), ("孙校对", "proofreader"), ("周科长", "chief"),
                ("吴校对", "proofreader"), ("郑局长", "leader")]  # fmt: skip


class Site:
    """A console served by uvicorn on a free port of 127.0.0.1, in a thread."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        from flows.runtime import free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        )
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> Site:
        self.thread.start()
        started = threading.Event()

        def watch() -> None:
            while not self.server.started and self.thread.is_alive():
                threading.Event().wait(0.05)
            started.set()

        threading.Thread(target=watch, daemon=True).start()
        assert started.wait(60) and self.server.started, "the console did not start"
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)


@pytest.fixture
def site(prefect_ready: Path, home: Path) -> Iterator[tuple[Site, Workspace]]:
    from console.web import create_app
    from flows.context import dispose

    admin = actions.init(Workspace.from_env(), admin="admin")
    admin_ws = Workspace.from_env(token=admin["token"])
    actions.set_setting(admin_ws, "site_url", SITE_URL)
    for name, role in BROWSER_TEAM[1:]:
        actions.add_user(admin_ws, name=name, roles=[role])
    for name, _role in BROWSER_TEAM:
        people.set_password(admin_ws, name, password=PASSWORD)
    common = {"unit": "市文化和旅游局", "group_name": "culture-tourism", "responsible": "admin"}
    actions.register_account(admin_ws, platform="website", name="通知公告",
                             platform_id="notices", is_main=True, **common)  # fmt: skip
    actions.register_account(admin_ws, platform="douyin", name="古城文旅",
                             platform_id="gucheng", **common)  # fmt: skip
    ws = Workspace.from_env()
    app = create_app(ws)
    with Site(app) as served:
        yield served, admin_ws
    app.state.flows.join()
    app.state.flows.close()
    ws.close()
    dispose()
