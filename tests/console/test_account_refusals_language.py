"""Every refusal of an account's lifecycle reads in the chosen language: the reason after
"账号运行中：" is Chinese too, not the English sentence it was written in."""

from __future__ import annotations

import re
from datetime import date

import pytest

from console import i18n
from domain.accounts import AccountState, Action, Life, RequestKind, step
from domain.errors import Refused
from domain.workdays import WorkCalendar

ACTIVE = Life(AccountState.ACTIVE, was_active=True)
CLOSING = Life(AccountState.CLOSING, close_approved=True, notice_published_on=date(2026, 12, 1))

REFUSALS = [
    pytest.param(Life(AccountState.ACTIVE, pending=RequestKind.CHANGE), Action.REQUEST_CLOSE,
                 id="a request waits"),
    pytest.param(ACTIVE, Action.REQUEST_OPEN, id="open an active account"),
    pytest.param(Life(AccountState.CLOSING), Action.REQUEST_CHANGE, id="change a closing one"),
    pytest.param(Life(AccountState.SUSPENDED), Action.REQUEST_CLOSE, id="close a suspended one"),
    pytest.param(Life(AccountState.ACTIVE, close_approved=True), Action.REQUEST_CLOSE,
                 id="close approved already"),
    pytest.param(ACTIVE, Action.APPROVE, id="nothing to decide"),
    pytest.param(ACTIVE, Action.NOTICE_PUBLISHED, id="no close approved"),
    pytest.param(ACTIVE, Action.CLOSE, id="close before the notice"),
    pytest.param(CLOSING, Action.CLOSE, id="the notice period runs"),
]  # fmt: skip


@pytest.mark.parametrize(("life", "action"), REFUSALS)
def test_an_account_refusal_is_said_in_chinese_and_in_english(life: Life, action: Action) -> None:
    with pytest.raises(Refused) as refused:
        step(
            life,
            action,
            actor=1,
            reason="整改",
            today=date(2026, 12, 2),
            calendar=WorkCalendar(),
            notice_days=15,
        )
    with i18n.use_language("zh_CN"):
        chinese = i18n.error_text(refused.value)
    with i18n.use_language("en"):
        english = i18n.error_text(refused.value)
    assert not re.search(r"[A-Za-z]{3,}", chinese), chinese
    assert english == str(refused.value)
    assert re.search(r"[A-Za-z]{3,}", english), english
