"""Credential field names per platform: what `account credentials` accepts."""

from __future__ import annotations

import pytest

from domain.credentials import check_credentials, describe, fields_of
from domain.errors import InvalidInput


def test_each_platforms_fields():
    assert [f.name for f in fields_of("wechat_oa")] == ["appid", "appsecret"]
    assert [f.name for f in fields_of("wechat_service")] == ["appid", "appsecret"]
    assert [(f.name, f.required) for f in fields_of("weibo")] == [
        ("access_token", True),
        ("rip", False),
    ]
    assert [f.name for f in fields_of("webhook")] == ["signing_secret"]


@pytest.mark.parametrize("platform", ["website", "douyin", "xiaohongshu", "wechat_channels"])
def test_platforms_without_credentials_are_refused(platform):
    with pytest.raises(InvalidInput, match="take no credentials"):
        fields_of(platform)


def test_unknown_fields_are_refused_with_a_suggestion_and_no_value():
    with pytest.raises(InvalidInput) as caught:
        check_credentials("webhook", {"secret": "whsec-value-123"})
    assert "did you mean signing_secret?" in caught.value.message
    assert "whsec-value-123" not in caught.value.message
    with pytest.raises(InvalidInput, match="no field 'app_secret'; did you mean appsecret"):
        check_credentials("wechat_oa", {"appid": "wx1", "app_secret": "s"})


def test_required_fields_empty_values_and_rip():
    with pytest.raises(InvalidInput, match="need appsecret"):
        check_credentials("wechat_oa", {"appid": "wx1"})
    with pytest.raises(InvalidInput, match="is empty"):
        check_credentials("webhook", {"signing_secret": "  "})
    with pytest.raises(InvalidInput, match="not an IP address"):
        check_credentials("weibo", {"access_token": "t", "rip": "10.0.0"})
    assert check_credentials("weibo", {"access_token": "t", "rip": " 203.0.113.10 "}) == {
        "access_token": "t",
        "rip": "203.0.113.10",
    }


def test_a_bare_string_block_is_a_weibo_token():
    assert check_credentials("weibo", {"token": "2.00abc"}) == {"token": "2.00abc"}
    with pytest.raises(InvalidInput, match="no field 'token'"):
        check_credentials("webhook", {"token": "x"})


def test_describe_names_every_field_for_help():
    text = describe()
    assert "wechat_oa and wechat_service: appid, appsecret" in text
    assert "weibo: access_token, rip (optional)" in text and "webhook: signing_secret" in text
