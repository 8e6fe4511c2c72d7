"""The console speaks one language at a time, the person's own choice on record.

Every page, rendered for each role in zh_CN, holds no English sentence outside what
people typed (a run of three or more English words that is not an id, an address or
code); in English it holds no Chinese outside what people typed. The choice is the
user's setting: it holds in another browser after logging in, and the JSON API's
error texts follow it (their keys stay English identifiers)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest

from console import actions
from console.i18n import LANGUAGES
from sqlmodel_db import users as users_db
from tests.console.web.conftest import TEAM, Console, Person

SUMMARY = "冬季文旅消费季12月15日开幕"  # what the fixture's author wrote (conftest)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]+")
# Three or more English words in a row: a sentence a person reads, not an id or a name.
ENGLISH_RUN = re.compile(r"[A-Za-z][a-z']+(?:[ ,;:]+[A-Za-z][a-z']+){2,}")
# Words that stand in either language: the product's name, protocols, formats, names.
NAMES = ("matrixpub", "Prefect Secret", "Markdown", "Excel", "Webhook", "HTML", "JSON")
SHOWN_ATTRIBUTES = ("title", "placeholder", "aria-label", "alt")


class _Visible(HTMLParser):
    """The text a person reads or hears: text, and the attributes screen readers say;
    not code, scripts, styles, or the values of form fields."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("code", "script", "style", "textarea", "svg", "title"):
            self._hidden += tag not in ("svg", "title")  # charts and the tab title: read
        for name, value in attrs:
            if name in SHOWN_ATTRIBUTES and value:
                self.parts.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("code", "script", "style", "textarea") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = _Visible()
    parser.feed(html)
    return parser.parts


def _user_data(console: Console, draft_ids: list[int]) -> list[str]:
    """What people typed (titles, bodies, names, opinions, word lists) and the words the
    rules carry as data (finding messages from the word lists): text in any language."""
    admin = console.as_token("admin")
    data = [name for name, _role in TEAM]
    for account in actions.list_accounts(admin):
        data += [account["name"], account["unit"], account.get("group_name") or ""]
    for draft_id in draft_ids:
        shown = actions.show_draft(admin, draft_id)
        data += [shown["title"], shown.get("summary") or "", SUMMARY]
        data += shown.get("body", "").splitlines()
        for finding in shown.get("findings", []):
            data += [finding.get("message", ""), finding.get("text", ""),
                     finding.get("suggestion") or "", finding.get("context") or ""]  # fmt: skip
        data += [d.get("opinion") or "" for d in shown.get("decisions", [])]
    for lexicon in actions.list_lexicons(admin):
        data += list(lexicon.get("whitelist", []))
        for entry in lexicon["entries"]:
            data += [entry["term"], entry.get("suggest") or ""]
    # Longest first, so that a title is taken out whole before a word inside it.
    return sorted({d.strip() for d in data if d and d.strip()}, key=len, reverse=True)


# The house keeps a Chinese term beside its English one where a reader from the field looks
# for it (STYLE.md): "secrecy review (保密审查)", "二校 proofread_2". Such a gloss is not an
# untranslated message.
GLOSSES = (
    re.compile(r"(?<=[A-Za-z)]) ?\([^()]*[\u3400-\u9fff][^()]*\)"),
    re.compile(r"[\u3400-\u9fff]+ (?=[a-z]+_\d)"),
)


class UserData:
    """What people typed, found in a page's text in one pass: the word lists alone hold
    some 200,000 terms, too many to replace one after another in every part of every page."""

    def __init__(self, items: list[str]) -> None:
        import ahocorasick_rs

        self.items = items
        self._automaton = ahocorasick_rs.AhoCorasick(
            items, matchkind=ahocorasick_rs.MATCHKIND_LEFTMOST_LONGEST
        )

    def blank(self, text: str) -> str:
        """``text`` with every item in it (the longest where they overlap) blanked out."""
        kept, last = [], 0
        for _index, start, end in self._automaton.find_matches_as_indexes(text):
            kept += [text[last:start], " "]
            last = end
        return "".join([*kept, text[last:]])


def _strip(text: str, data: UserData) -> str:
    text = data.blank(text)
    for name in LANGUAGES.values():  # each language's own name, in that language
        text = text.replace(name, " ")
    text = re.sub(r"https?://\S+|file://\S+|/[\w./?=&%-]+", " ", text)  # addresses
    for name in NAMES:
        text = text.replace(name, " ")
    return text


def _pages(draft_id: int, working_id: int, account_id: int) -> dict[str, list[str]]:
    """The pages each person opens: every console page, and an error page or two."""
    everyone = ["/", "/drafts", "/posts", "/accounts", "/accounts/dashboard",
                f"/accounts/{account_id}", "/reports/reposts", f"/drafts/{draft_id}",
                f"/drafts/{draft_id}/sheet", f"/drafts/{draft_id}/record", "/me/password",
                "/no-such-page", "/drafts/999999"]  # fmt: skip
    admin_only = ["/admin", "/admin/users", "/admin/lexicon", "/admin/freezes",
                  "/admin/settings", "/admin/alerts", "/admin/audit", "/admin/calendar",
                  "/admin/calendar?view=month", "/reports/monthly",
                  "/admin/lexicon?category=outdated_name"]  # fmt: skip
    return {
        "admin": everyone + admin_only,
        "author": [*everyone, "/drafts/new", f"/drafts/{working_id}/edit", "/admin"],
        "p1": everyone,
        "editor": everyone,
        "leader": [*everyone, "/reports/monthly"],
    }


@pytest.fixture
def world(console: Console) -> dict[str, Any]:
    signed = console.draft()
    console.wait_flows()
    console.pass_gates(signed, 6)  # signed off: posts, a complete sheet
    console.wait_flows()
    in_review = console.draft(title="关于开展安全生产检查的通知", targets=["web", "douyin"])
    console.wait_flows()
    console.pass_gates(in_review, 2)
    working = console.draft(title="尚未提交的工作稿", submit=False)
    _failed_send(console, signed)
    return {
        "pages": _pages(in_review, working, console.accounts["douyin"])
        | {"p2": [f"/drafts/{in_review}", "/"]},
        "data": UserData(_user_data(console, [signed, in_review, working])),
    }


def _failed_send(console: Console, draft_id: int) -> None:
    """One of the draft's posts failed as a send to a platform that is not listening
    leaves it: its error on the post, an alert for the admin (both stored in English)."""
    from sqlmodel import select

    from sqlmodel_db import alerts as alerts_db
    from sqlmodel_db.models import Post
    from tests.console.test_cli_stored_language import unreachable_send

    error = unreachable_send()
    with console.as_token("admin").session() as session:
        post = session.exec(select(Post).where(Post.draft_id == draft_id)).first()
        assert post is not None and post.id is not None
        post.state, post.last_error = "failed", error
        session.add(post)
        alerts_db.post_failed(
            session=session, post_id=post.id, account_id=post.account_id, detail=error
        )


def _choose(person: Person, language: str) -> None:
    answer = person.post("/me/language", {"language": language, "back": "/"})
    assert answer.status_code == 303


def _problems(person: Person, paths: list[str], data: UserData, language: str) -> list[str]:
    found = []
    for path in paths:
        page = person.client.get(path)
        assert page.status_code in (200, 403, 404), (path, page.status_code)
        for part in visible_text(page.text):
            rest = _strip(part, data)
            if language == "en":
                for gloss in GLOSSES:
                    rest = gloss.sub(" ", rest)
            bad = CJK.findall(rest) if language == "en" else ENGLISH_RUN.findall(rest)
            found += [f"{person.name} {path}: {b!r} in {part[:120]!r}" for b in bad]
    return found


@pytest.mark.parametrize("language", ["zh_CN", "en"])
def test_every_page_speaks_the_chosen_language(
    console: Console, world: dict[str, Any], language: str
) -> None:
    problems = []
    for name, paths in world["pages"].items():
        person = console.person(name)
        _choose(person, language)
        problems += _problems(person, paths, world["data"], language)
    login = console.person("nobody", login=False)
    login.client.cookies.set("mp_lang", language)
    problems += _problems(login, ["/login"], world["data"], language)
    assert not problems, f"{len(problems)} untranslated:\n" + "\n".join(sorted(set(problems)))


def test_the_language_is_the_users_setting_on_every_device(console: Console) -> None:
    first = console.person("editor")
    _choose(first, "en")
    with console.ws.session() as session:
        assert users_db.get_user_by_name(session=session, name="editor").language == "en"
    assert "My work" in first.client.get("/").text

    # Another browser, which never chose: the login page is in the default language,
    # the pages after logging in in the person's own.
    other = console.person("editor", login=False)
    assert "登录" in other.client.get("/login").text
    assert other.login().status_code == 303
    home = other.client.get("/").text
    assert "My work" in home and "我的待办" not in home
    assert 'lang="en"' in home

    # A browser's cookie does not outvote the setting once logged in.
    other.client.cookies.set("mp_lang", "zh_CN")
    assert "My work" in other.client.get("/drafts").text

    # Back to Chinese, on record; an unknown language is refused and changes nothing.
    _choose(other, "zh-CN")
    assert "我的待办" in first.client.get("/").text
    refused = other.post("/me/language", {"language": "klingon", "back": "/"})
    assert refused.status_code == 400 and "klingon" in refused.text
    with console.ws.session() as session:
        assert users_db.get_user_by_name(session=session, name="editor").language == "zh_CN"


def test_the_login_page_keeps_a_browsers_choice_before_logging_in(console: Console) -> None:
    visitor = console.person("author", login=False)
    page = visitor.client.get("/login")
    assert "用户名" in page.text
    from tests.console.web.conftest import csrf_of

    chosen = visitor.client.post(
        "/language",
        data={"language": "en", "next": "/drafts", "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert chosen.status_code == 303 and chosen.headers["location"].startswith("/login")
    page = visitor.client.get(chosen.headers["location"])
    assert "User name" in page.text and "用户名" not in page.text
    # Without the login form's token nothing changes.
    forged = console.person("author", login=False)
    refused = forged.client.post("/language", data={"language": "en"}, follow_redirects=False)
    assert refused.status_code == 403


def test_the_api_answers_in_its_token_owners_language(console: Console) -> None:
    client = console.person("api", login=False).client
    headers = {"Authorization": f"Bearer {console.tokens['editor']}"}
    chinese = client.post("/api/v1/drafts", headers=headers, json={"body": "x"})
    assert chinese.status_code == 400 and chinese.json() == {"error": "title：必填"}

    editor = console.person("editor")
    _choose(editor, "en")
    english = client.post("/api/v1/drafts", headers=headers, json={"body": "x"})
    assert english.status_code == 400 and english.json() == {"error": "title: required"}
    # What the API answers with on success keeps its English identifiers in any language.
    me = client.get("/api/v1/me", headers=headers).json()
    assert "name" in me and me["name"] == "editor"
