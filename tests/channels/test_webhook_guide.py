"""The receiver in docs/webhook-receiver.md, run as written against real deliveries of the
webhook channel: what the guide tells a receiving system to do must work."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from dataclasses import replace
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from channels.base import DeliveryState, RenderInput
from channels.webhook import WebhookChannel, sign
from domain.content import Content
from domain.errors import PermanentDeliveryError
from domain.hashing import hash_value

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "webhook-receiver.md"
SECRET = "whsec-guide-3b7e"


def guide_receiver() -> dict[str, Any]:
    """The guide's Python block, executed as a module of its own."""
    [code] = re.findall(r"```python\n(.*?)```", GUIDE.read_text("utf-8"), re.S)
    module: dict[str, Any] = {"__name__": "webhook_receiver"}
    exec(compile(code, str(GUIDE), "exec"), module)
    return module


@pytest.fixture
def receiver() -> Iterator[tuple[dict[str, Any], str]]:
    module = guide_receiver()
    module["SECRETS"][:] = [SECRET, "whsec-previous"]
    server = ThreadingHTTPServer(("127.0.0.1", 0), module["Receiver"])
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01})
    thread.start()
    try:
        yield module, f"http://127.0.0.1:{server.server_address[1]}/matrixpub"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_the_guides_receiver_takes_a_real_delivery_with_its_pictures(
    receiver, channel_config, http, make_target, picture
):
    module, endpoint = receiver
    channel = WebhookChannel(channel_config)
    content = Content(title="防汛通知", body="做好防汛准备。\n\n![水位](map.png)\n")
    variant = channel.render(
        RenderInput(
            draft_id=5,
            content=content,
            cover=picture(),
            images={"map.png": picture(600, 400, "#228844", "PNG")},
        )
    )
    target = replace(make_target("webhook"), url=endpoint)

    receipt = channel.publish(
        variant, target, secret={"signing_secret": SECRET}, key="mp-5-a", http=http
    )
    again = channel.publish(
        variant, target, secret={"signing_secret": SECRET}, key="mp-5-a", http=http
    )

    assert receipt.state is DeliveryState.PUBLISHED and receipt.external_id == "item-1"
    assert again.external_id == "item-1"  # the same key is the same post
    [stored] = module["STORED"]
    assert stored["post"]["approved"]["fields"]["title"] == "防汛通知"
    assert stored["pictures"] == {i.filename: i.data for i in variant.images}
    assert 'src="image-1.jpg"' in stored["post"]["approved"]["fields"]["html"]
    assert module["approved_intact"](stored["post"])  # what was signed, as the guide checks


def test_the_guides_receiver_checks_the_approved_bytes():
    approved_intact = guide_receiver()["approved_intact"]
    channel_variant = {"channel": "webhook", "fields": {"title": "通知"}, "images": []}
    post = {"approved": channel_variant, "variant_hash": hash_value(channel_variant)}
    assert approved_intact(post)
    changed = {**channel_variant, "fields": {"title": "通知！"}}
    assert not approved_intact({**post, "approved": changed})


def test_the_guides_receiver_refuses_a_wrong_secret(receiver, channel_config, http, make_target):
    _, endpoint = receiver
    channel = WebhookChannel(channel_config)
    variant = channel.render(RenderInput(draft_id=5, content=Content(title="通知", body="正文")))
    target = replace(make_target("webhook"), url=endpoint)
    with pytest.raises(PermanentDeliveryError, match="HTTP 401"):
        channel.publish(variant, target, secret={"signing_secret": "nope"}, key="k", http=http)


def test_the_guides_receiver_accepts_the_previous_secret_while_it_rotates(
    receiver, channel_config, http, make_target
):
    _, endpoint = receiver
    channel = WebhookChannel(channel_config)
    variant = channel.render(RenderInput(draft_id=5, content=Content(title="通知", body="正文")))
    target = replace(make_target("webhook"), url=endpoint)
    old = channel.publish(
        variant, target, secret={"signing_secret": "whsec-previous"}, key="k", http=http
    )
    assert old.state is DeliveryState.PUBLISHED


def test_the_guides_check_agrees_with_matrixpubs_signature():
    check = guide_receiver()["signature_valid"]
    body, now = b'{"a":1}', 1_700_000_000
    good = sign(SECRET, str(now), "mp-1-x", body)
    assert check([SECRET], str(now), "mp-1-x", body, good, now=now)
    assert not check([SECRET], str(now), "mp-2-x", body, good, now=now)  # another key
    assert not check([SECRET], str(now), "mp-1-x", body + b" ", good, now=now)
    assert not check([SECRET], str(now), "mp-1-x", body, good, now=now + 301)  # a replay
    assert not check(["other"], str(now), "mp-1-x", body, good, now=now)
    assert not check([SECRET], "", "mp-1-x", body, good, now=now)
