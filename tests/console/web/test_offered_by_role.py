"""A page offers a person only what their roles allow (the server still refuses the rest):
writing a draft is an author's; putting an existing account on record is an admin's; an
opening is asked for by its responsible person, so anyone else asks with their own name
there."""

from __future__ import annotations

import re

from tests.console.web.conftest import Console

WRITE = re.compile(r'href="/drafts/new"')


def test_a_proofreader_is_not_offered_writing(console: Console) -> None:
    proofreader = console.person("p1")
    home = proofreader.client.get("/")
    assert home.status_code == 200
    assert not WRITE.search(home.text), "写稿 / 写新稿件 offered to a proofreader"
    assert not WRITE.search(proofreader.client.get("/drafts").text)
    editor_page = proofreader.client.get("/drafts/new")
    assert editor_page.status_code == 403 and 'name="title"' not in editor_page.text
    author = console.person("author")
    assert WRITE.search(author.client.get("/").text)
    assert author.client.get("/drafts/new").status_code == 200


def test_the_account_request_form_asks_only_what_the_person_may_ask(console: Console) -> None:
    proofreader = console.person("p1")
    page = proofreader.client.get("/accounts").text
    assert 'value="record"' not in page, "the admin's button offered to a proofreader"
    responsible = re.search(r'<input id="reg-responsible"[^>]*>', page)
    assert responsible, page
    assert 'value="p1"' in responsible.group(0) and "readonly" in responsible.group(0)
    asked = proofreader.post(
        "/accounts/register",
        {"platform": "weibo", "name": "文旅微博", "unit": "市文化和旅游局",
         "responsible": "p1", "reason": "开展文旅宣传", "mode": "request"},
    )  # fmt: skip
    assert asked.status_code == 303  # what the form offers goes through
    # The server still refuses what the form does not offer.
    record = proofreader.post(
        "/accounts/register",
        {"platform": "weibo", "name": "文旅微博二", "unit": "市文化和旅游局", "mode": "record"},
    )  # fmt: skip
    assert record.status_code == 403
    admin_page = console.person("admin").client.get("/accounts").text
    assert 'value="record"' in admin_page
    admin_field = re.search(r'<input id="reg-responsible"[^>]*>', admin_page)
    assert admin_field and "readonly" not in admin_field.group(0)


def test_an_account_page_offers_its_forms_to_who_may_use_them(console: Console) -> None:
    page = f"/accounts/{console.accounts['web']}"
    proofreader = console.person("p1").client.get(page)
    assert proofreader.status_code == 200
    for action in ("/request-change", "/request-close", "/suspend"):
        assert action not in proofreader.text, action
    admin = console.person("admin").client.get(page).text
    for action in ("/request-change", "/request-close", "/suspend"):
        assert action in admin, action
