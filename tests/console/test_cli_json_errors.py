"""A refusal with ``--json``: stdout holds one JSON document with the stable English
message, and the line on stderr speaks the chosen language, as without ``--json``."""

from __future__ import annotations

import json

from tests.console.conftest import Cli


def test_a_json_refusal_keeps_its_english_key_and_says_the_line_in_chinese(cli: Cli) -> None:
    cli.lang = None  # MATRIXPUB_LANG unset: Chinese
    cli.init()
    result = cli.run("user", "token", "nobody", "--json", expect=1)

    document = json.loads(result.stdout)
    assert document == {"error": "no token: set MATRIXPUB_TOKEN or pass --token", "exit_code": 1}
    assert result.stderr.strip() == "错误：没有令牌：请设置 MATRIXPUB_TOKEN 或使用 --token"


def test_a_json_refusal_with_values_says_them_in_both(cli: Cli) -> None:
    cli.lang = None
    cli.init()
    result = cli.run("account", "show", "999", "--json", as_user="admin", expect=1)

    english = json.loads(result.stdout)["error"]
    assert "999" in english and english.isascii()
    line = result.stderr.strip()
    assert line.startswith("错误：") and "999" in line
    assert line.count("\n") == 0 and not any(word in line for word in english.split()[:2])
