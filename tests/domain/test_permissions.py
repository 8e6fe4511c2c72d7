"""Who may do what is one table: the checks use it, and the README shows it as generated
(``matrixpub roles --markdown``), so the two cannot drift apart."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from domain import permissions
from domain.errors import Refused
from domain.permissions import BY_ACTION, PERMISSIONS, Party
from domain.roles import Role

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_shows_the_generated_table() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    found = re.search(r"<!-- roles:start -->\n(.*?)<!-- roles:end -->", readme, re.S)
    assert found, "the README has no roles table between its markers"
    assert found.group(1) == permissions.markdown(), (
        "the README's roles table differs from `matrixpub roles --markdown`; paste it again"
    )


def test_every_action_in_the_table_is_checked_by_the_code() -> None:
    sources = "\n".join(
        path.read_text("utf-8")
        for folder in ("console", "sqlmodel_db")
        for path in (ROOT / folder).rglob("*.py")
    )
    checked = set(re.findall(r'permit\(\s*\w+,\s*"([a-z._]+)"', sources))
    checked |= {"user.activate", "user.deactivate"}  # chosen by `active` in set_active
    assert {p.action for p in PERMISSIONS} <= checked, sorted(
        {p.action for p in PERMISSIONS} - checked
    )
    assert "require_role" not in sources, "a role check outside the table"


def test_roles_and_parties_allow_exactly_what_the_table_says() -> None:
    cancel = BY_ACTION["post.cancel"]
    assert cancel.allows({Role.ADMIN}) and cancel.allows(set(), {Party.RESPONSIBLE})
    assert cancel.allows({Role.PROOFREADER}, {Party.DRAFT_AUTHOR})
    assert not cancel.allows({Role.AUTHOR, Role.LEADER})  # another author, the leader
    resolve = BY_ACTION["post.resolve"]
    assert resolve.allows({Role.LEADER}) and resolve.allows({Role.ADMIN})
    assert not resolve.allows({Role.AUTHOR}, {Party.DRAFT_AUTHOR, Party.RESPONSIBLE})
    with pytest.raises(Refused, match="post resolve needs the admin role or the leader role"):
        permissions.check("post.resolve", name="王小文", roles={Role.AUTHOR})
    with pytest.raises(KeyError):
        permissions.check("post.nonexistent", name="x", roles=set(Role))
