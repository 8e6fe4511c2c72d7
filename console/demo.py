"""``matrixpub demo``: the whole pipeline once, on the embedded default.

Seeds demo users and accounts in a fresh folder, takes the bundled notice through all
six gates as six different people (with one rejection and a corrected version on the
way, as happens in practice), renders, plans and delivers it to the website, checks the
audit chain, and prints what happened and where the site is.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from console import actions
from console import output as o
from console.i18n import (
    N_,
    _,
    gate_label,
    platform_label,
    post_state_label,
    state_label,
    verdict_label,
)
from console.stored import stored_text
from console.workspace import Workspace
from domain.gates import DEFAULT_WORKFLOW, Verdict

SAMPLE = Path(__file__).resolve().parent / "sample"
TITLE = "关于举办2026年冬季文化和旅游消费季活动的通知"
SUMMARY = "市文化和旅游局将于2026年12月至2027年2月举办“冬游古城·暖享文旅”冬季文化和旅游消费季。"

PEOPLE = [  # name, roles, who they are
    ("刘管理", ["admin"], "管理员"),
    ("王小文", ["author"], "新媒体编辑 (author)"),
    ("陈校对", ["proofreader"], "一校"),
    ("赵编辑", ["editor"], "初审 责任编辑"),
    ("孙校对", ["proofreader"], "二校"),
    ("周科长", ["chief"], "复审 科室负责人"),
    ("吴校对", ["proofreader"], "三校"),
    ("郑局长", ["leader"], "终审 分管领导"),
]
GATE_PEOPLE = ["陈校对", "赵编辑", "孙校对", "周科长", "吴校对", "郑局长"]
OPINIONS = [
    "文字规范，同意",
    "内容准确，同意",
    "复核无误，同意",
    "政策依据充分，同意",
    "渲染稿核对无误，同意",
    "同意发布",
]


def demo_home() -> Path:
    return Path(os.environ.get("MATRIXPUB_DEMO_HOME") or Path.cwd() / ".demo").absolute()


def run_demo(*, quiet: bool = False) -> dict[str, Any]:
    home = demo_home()
    if home.exists():  # start afresh, but keep Prefect's database: it takes ~20 s to create
        for child in home.iterdir():
            if child.name != "prefect":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    os.environ["MATRIXPUB_HOME"] = str(home)
    for name in (
        "MATRIXPUB_DATABASE_URL",
        "MATRIXPUB_SITE_DIR",
        "MATRIXPUB_SITE_URL",
        "MATRIXPUB_TOKEN",
    ):
        os.environ.pop(name, None)
    started = time.perf_counter()
    timings: dict[str, float] = {}
    with Progress(
        TextColumn("{task.description:<46}"),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=o.err,
        disable=quiet,
        transient=True,
    ) as bar:
        task = bar.add_task(_("Setting up"), total=13)

        def step(label: str, fn: Callable[[], Any]) -> Any:
            # the timings (--json) are keyed by the label as written; the bar says it
            bar.update(task, description=_(label))
            t0 = time.perf_counter()
            result = fn()
            timings[label] = round(time.perf_counter() - t0, 2)
            bar.advance(task)
            return result

        report = _run(home, step, bar, task)
    report["seconds"] = round(time.perf_counter() - started, 1)
    report["timings"] = timings
    if not quiet:
        _print(report)
    return report


def _run(
    home: Path, step: Callable[[str, Callable[[], Any]], Any], bar: Progress, task: Any
) -> dict[str, Any]:
    def shown(message: str) -> None:  # what a flow is doing, said on the bar
        bar.update(task, description=stored_text(message))

    admin_ws = Workspace.from_env()
    admin = step(
        N_("Creating the database and the admin"),
        lambda: actions.init(admin_ws, admin=PEOPLE[0][0]),
    )
    tokens = {PEOPLE[0][0]: admin["token"]}
    ws = {PEOPLE[0][0]: Workspace.from_env(token=admin["token"])}
    # The site's public address, which every other channel links to: without one, their
    # links would point into this computer and the checks would stop the second notice.
    actions.set_setting(ws[PEOPLE[0][0]], "site_url", DEMO_SITE_URL)

    def seed_people() -> None:
        for name, roles, _who in PEOPLE[1:]:
            user = actions.add_user(ws[PEOPLE[0][0]], name=name, roles=roles)
            tokens[name] = user["token"]
            ws[name] = Workspace.from_env(token=user["token"])

    step(N_("Adding seven demo users"), seed_people)

    def seed_accounts() -> list[dict[str, Any]]:
        admin_ws = ws[PEOPLE[0][0]]
        common = {
            "unit": "市文化和旅游局",
            "supervising_unit": "市人民政府办公室",
            "responsible": "刘管理",
            "contact": "0000-12345678",
            "group_name": "culture-tourism",
        }
        return [
            actions.register_account(
                admin_ws,
                platform="website",
                name="通知公告",
                platform_id="notices",
                record_no="DEMO-WEB-0001",
                is_main=True,
                **common,
            ),
            actions.register_account(
                admin_ws,
                platform="website",
                name="文旅资讯",
                platform_id="news",
                record_no="DEMO-WEB-0002",
                duplicate_reason="门户网站的第二个栏目",
                **common,
            ),
        ]

    accounts = step(N_("Registering two website columns"), seed_accounts)
    author = ws["王小文"]
    body = SAMPLE / "notice.md"
    draft = step(
        N_("Writing the draft"),
        lambda: actions.new_draft(
            author,
            title=TITLE.replace("2026年", "2026年度"),
            body_file=body,
            summary=SUMMARY,
            cover=SAMPLE / "cover.jpg",
            group="culture-tourism",
        ),
    )
    draft_id = draft["id"]
    step(
        N_("Submitting: rendering variants (Prefect flow)"),
        lambda: actions.submit_draft(author, draft_id, status=shown),
    )
    step(
        N_("一校 sends it back: the title is off"),
        lambda: actions.decide(
            ws["陈校对"],
            draft_id,
            verdict=Verdict.REJECT,
            opinion="标题“2026年度”与正文“2026年冬季”不一致，请统一",
            version=1,
            gate="一校",
        ),
    )
    step(
        N_("The author fixes the title (version 2)"),
        lambda: actions.edit_draft(author, draft_id, title=TITLE, status=shown),
    )
    step(N_("Resubmitting version 2"), lambda: actions.submit_draft(author, draft_id))

    def gates() -> None:
        for index, (name, opinion) in enumerate(zip(GATE_PEOPLE, OPINIONS, strict=True)):
            gate = DEFAULT_WORKFLOW.gate(index)
            bar.update(
                task, description=_("{gate} by {name}", gate=gate_label(gate.key), name=name)
            )
            actions.decide(
                ws[name],
                draft_id,
                verdict=Verdict.APPROVE,
                opinion=opinion,
                version=2,
                gate=gate.key,
            )

    step(N_("Six gates, six people"), gates)
    dispatched = step(
        N_("Delivering to the website (Prefect flow)"), lambda: actions.dispatch_once(ws["刘管理"])
    )
    second = step(
        N_("A second notice, to the whole matrix, waits at 一校"),
        lambda: _second_notice(ws, bar, task),
    )

    def passwords() -> None:
        from console import people

        for name, _roles, _who in PEOPLE:
            people.set_password(ws[PEOPLE[0][0]], name, password=DEMO_PASSWORD)

    step(N_("Setting the demo users' console password"), passwords)
    verified = step(N_("Verifying the audit chain"), lambda: actions.audit_verify(ws["刘管理"]))
    detail = actions.show_draft(ws["王小文"], draft_id)
    site = Workspace.from_env().settings.site_dir
    return {
        "home": str(home),
        "draft": detail,
        "accounts": accounts,
        "dispatch": dispatched,
        "audit": verified,
        "site_dir": str(site),
        "site_index": (site / "index.html").as_uri(),
        "tokens": tokens,
        "waiting": second,
        "password": DEMO_PASSWORD,
    }


DEMO_PASSWORD = "matrixpub-demo"
DEMO_SITE_URL = "https://www.example.gov.cn"
MATRIX = [  # the rest of the bureau's matrix: (platform, name, platform id)
    ("wechat_oa", "古城文旅", "gh_0a1b2c3d4e5f"),
    ("weibo", "古城文旅", "7712345678"),
    ("douyin", "古城文旅", "gucheng_wenlv"),
    ("xiaohongshu", "古城文旅", "5f1a2b3c"),
]


def _second_notice(ws: dict[str, Workspace], bar: Progress, task: Any) -> dict[str, Any]:
    """Register the rest of the matrix and submit a short notice with a picture to every
    account: it waits at 一校, for someone to open the web console."""
    admin = ws[PEOPLE[0][0]]
    for platform, name, platform_id in MATRIX:
        actions.register_account(
            admin,
            platform=platform,
            name=name,
            platform_id=platform_id,
            unit="市文化和旅游局",
            supervising_unit="市人民政府办公室",
            responsible="刘管理",
            contact="0000-12345678",
            group_name="matrix",
        )
    author = ws["王小文"]
    draft = actions.new_draft(
        author,
        title="关于古城景区冬季开放时间调整的公告",
        body_file=SAMPLE / "hours.md",
        summary="古城景区自12月15日起实行冬季开放时间，每日8:30至17:30，请提前预约、错峰出行。",
        cover=SAMPLE / "cover.jpg",
        images=[SAMPLE / "route.png"],
        group="matrix",
        whole_matrix=True,
    )
    actions.submit_draft(
        author, draft["id"], status=lambda m: bar.update(task, description=stored_text(m))
    )
    done = actions.show_draft(author, draft["id"])  # as the checks left it
    return {"id": done["id"], "title": done["title"], "state": done["state"], "gate": done["gate"]}


def _print(report: dict[str, Any]) -> None:
    draft = report["draft"]
    o.out.print(
        Text.assemble(
            "\n",
            (_("Draft {id}", id=draft["id"]), "bold"),
            f": {draft['title']} — ",
            (state_label(draft["state"]), "green"),
            _(", version {n}", n=draft["version"]),
        )
    )
    o.table(
        _("Decisions on record"),
        [_("gate"), _("verdict"), _("by"), _("version"), _("opinion")],
        [
            (gate_label(d["gate"]), verdict_label(d["verdict"], d["gate"]), d["actor"],
             d["version"], d["opinion"])
            for d in draft["decisions"]
        ],
    )  # fmt: skip
    o.table(
        _("Posts"),
        [_("id"), _("account"), _("channel"), _("state"), _("url")],
        [
            (p["id"], p["account"] or p["account_id"], platform_label(p["channel"]),
             post_state_label(p["state"]),
             p["url"] or stored_text(p["last_error"]))
            for p in draft["posts"]
        ],
    )  # fmt: skip
    audit = report["audit"]
    o.out.print(
        _("Audit chain: intact ({n} events).", n=audit["events"])
        if audit["ok"]
        else _("Audit chain: BROKEN ({n} events).", n=audit["events"])
    )
    o.out.print(_("Finished in {s} s. Data in {home}.", s=report["seconds"], home=report["home"]))
    o.out.print(
        _(
            "The website is at {site}; open {index}",
            site=report["site_dir"],
            index=report["site_index"],
        )
    )
    o.out.print(
        _("or serve it: {command}", command=f"python3 -m http.server -d {report['site_dir']} 8080")
    )
    waiting = report["waiting"]
    at_first_gate = (waiting["gate"] or {}).get("key") == "proofread_1"
    said = (
        _(
            "Draft {id} ({title}) waits at 一校 for the web console. Open it on these demo data:",
            id=waiting["id"],
            title=waiting["title"],
        )
        if at_first_gate
        else _(
            "Draft {id} ({title}) is {state}, not at 一校 (`matrixpub draft show {id}` says why). "
            "Open the web console on these demo data:",
            id=waiting["id"],
            title=waiting["title"],
            state=state_label(waiting["state"]),
        )
    )
    o.out.print(
        "\n" + said,
        markup=False,
    )
    o.out.print(f"  MATRIXPUB_HOME={report['home']} .venv/bin/matrixpub serve", markup=False)
    o.out.print(
        _(
            "  then http://127.0.0.1:8000/ and log in as 陈校对 (一校), password {password}; "
            "every demo user has that password ({names}).",
            password=report["password"],
            names=_("、").join(p[0] for p in PEOPLE),
        ),
        markup=False,
        highlight=False,
    )
    o.out.print(
        _(
            "Try the CLI as the demo author (`source .venv/bin/activate` puts `matrixpub` on "
            "your PATH):"
        )
        + f"\n  MATRIXPUB_HOME={report['home']} MATRIXPUB_TOKEN={report['tokens']['王小文']} "
        ".venv/bin/matrixpub draft list",
        markup=False,
        highlight=False,
    )
    from domain.settings import load
    from flows import background

    server = background.status(load({"MATRIXPUB_HOME": report["home"]}))
    if server["running"]:
        minutes = round(server["exits_after_idle_seconds"] / 60)
        o.out.print(
            _(
                "A Prefect server (pid {pid}) keeps running in the background for those "
                "commands; it stops by itself after {minutes} minutes unused, or now with:",
                pid=server["pid"],
                minutes=minutes,
            )
            + f"\n  MATRIXPUB_HOME={report['home']} .venv/bin/matrixpub server stop",
            highlight=False,
        )
