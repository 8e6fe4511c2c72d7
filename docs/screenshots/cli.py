"""Screenshots of the CLI in both languages, for the README: a fresh MATRIXPUB_HOME per
language, an author's draft submitted, a refusal and a proofreader's decision; each
session drawn on a terminal's character grid with Pillow (汉字 two cells wide, as rich and
a terminal count them).

    .venv/bin/python docs/screenshots/cli.py      # writes docs/screenshots/cli-{zh,en}.png
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
SAMPLE = ROOT / "console" / "sample"
MATRIXPUB = str(Path(sys.executable).with_name("matrixpub"))
WIDTH = 104


def session(lang: str, home: Path) -> list[tuple[str, str]]:
    """(the command as typed, what it printed) for one walk in ``lang``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MATRIXPUB_")}
    # The output is piped here; COLUMNS makes its tables fit the grid drawn below, as they
    # fit a terminal that wide (a pipe without COLUMNS gets tables as wide as they need).
    env.update(MATRIXPUB_HOME=str(home), MATRIXPUB_LANG=lang, COLUMNS=str(WIDTH))

    def run(*args: str, token: str = "", show: bool = True) -> str:
        done = subprocess.run(
            [MATRIXPUB, *args], env={**env, "MATRIXPUB_TOKEN": token}, cwd=home.parent,
            capture_output=True, text=True, check=False,
        )  # fmt: skip
        return done.stdout + done.stderr

    admin = json.loads(run("init", "--admin", "刘管理", "--json"))["token"]
    run("settings", "set", "site_url", "https://www.example.gov.cn", token=admin)
    tokens = {
        name: json.loads(run("user", "add", name, "--role", role, "--json", token=admin))["token"]
        for name, role in (
            ("王小文", "author"),
            ("陈校对", "proofreader"),
        )
    }
    tokens["刘管理"] = admin
    for name, platform, ident in (("通知公告", "website", "notices"), ("古城文旅", "douyin", "gc")):
        run(
            "account", "register", "--platform", platform, "--name", name, "--unit",
            "市文化和旅游局", "--platform-id", ident, "--group", "culture-tourism", token=admin,
        )  # fmt: skip
    shutil.copy(SAMPLE / "notice.md", home.parent / "notice.md")
    shutil.copy(SAMPLE / "cover.jpg", home.parent / "cover.jpg")
    steps = [
        ("刘管理", ["user", "add", "孙校对", "--role", "proofreader"]),
        ("刘管理", ["account", "register", "--platform", "douyin", "--name", "古城文旅2",
                 "--unit", "市文化和旅游局", "--platform-id", "gc2"]),
        ("刘管理", ["account", "suspend", "2", "--reason", "账号年审"]),
        ("刘管理", ["account", "resume", "2", "--reason", "年审完成"]),
        ("王小文", ["draft", "new", "--title", "关于举办冬季文旅消费季活动的通知",
                 "--body-file", "notice.md", "--cover", "cover.jpg", "--group", "culture-tourism"]),
        ("王小文", ["draft", "submit", "1"]),
        ("王小文", ["review", "approve", "1", "--opinion", "同意", "--gate", "一校",
                 "--version", "1"]),
        ("陈校对", ["review", "approve", "1", "--opinion", "文字规范，同意", "--gate", "一校",
                 "--version", "1"]),
    ]  # fmt: skip
    shown = []
    for who, args in steps:
        typed = "matrixpub " + " ".join(f'"{a}"' if " " in a or "，" in a else a for a in args)
        shown.append((f"[{who}] $ {typed}", run(*args, token=tokens[who])))
    run("server", "stop")  # the background Prefect server of this home, which goes now
    return shown


CELL_W, CELL_H, PAD = 10, 21, 16
LATIN = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
LATIN_BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"
CJK = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 7)  # Noto Sans Mono CJK SC
COLOURS = {"prompt": "#8ae234", "error": "#ef2929", "text": "#e6e6e6"}


def _wrapped(line: str) -> list[str]:
    """A line cut into rows of at most WIDTH cells, as a terminal wraps it."""
    from rich.cells import cell_len

    rows, row = [], ""
    for char in line:
        if cell_len(row + char) > WIDTH:
            rows.append(row)
            row = ""
        row += char
    return [*rows, row]


def draw(lang: str, steps: list[tuple[str, str]], out: Path) -> None:
    """Draw the session on a terminal's grid: every character in its cells (one for Latin
    and box drawing, two for 汉字), so tables line up as they do in a terminal."""
    from PIL import Image, ImageDraw, ImageFont
    from rich.cells import cell_len

    latin = ImageFont.truetype(LATIN, 16)
    bold = ImageFont.truetype(LATIN_BOLD, 16)
    cjk = ImageFont.truetype(CJK[0], 19, index=CJK[1])
    lines: list[tuple[str, str]] = [("title", f"matrixpub — MATRIXPUB_LANG={lang}"), ("text", "")]
    for typed, printed in steps:
        lines.extend(("prompt", part) for part in _wrapped(typed))
        for line in printed.rstrip("\n").splitlines():
            error = line.startswith(("错误：", "error:"))
            lines.extend(("error" if error else "text", part) for part in _wrapped(line))
        lines.append(("text", ""))
    width = PAD * 2 + CELL_W * WIDTH
    image = Image.new("RGB", (width, PAD * 2 + CELL_H * len(lines)), "#1e1e1e")
    pen = ImageDraw.Draw(image)
    for row, (kind, line) in enumerate(lines):
        y = PAD + row * CELL_H
        if kind == "title":
            pen.text((PAD, y), line, font=bold, fill="#9a9a9a")
            continue
        x = PAD
        for char in line:
            cells = cell_len(char)
            face = cjk if cells == 2 else bold if kind == "prompt" else latin
            pen.text((x, y + 16), char, font=face, fill=COLOURS[kind], anchor="ls")
            x += CELL_W * max(cells, 1)
    image.save(out, optimize=True)


def main() -> None:
    for lang, name in (("zh_CN", "cli-zh.png"), ("en", "cli-en.png")):
        with tempfile.TemporaryDirectory() as tmp:
            home = Path(tmp) / "home"
            draw(lang, session(lang, home), HERE / name)
        print(HERE / name)


if __name__ == "__main__":
    main()
