"""The signed webhook channel against a fake receiver on 127.0.0.1."""

from __future__ import annotations

import base64
import json
import time
from dataclasses import replace

import pytest

from channels.base import Channel, DeliveryKind, DeliveryState, RenderInput
from channels.rendering import template_exists
from channels.webhook import SPEC, WebhookChannel, sign, verify
from domain.content import Content
from domain.errors import AccountHeld, PermanentDeliveryError, TransientDeliveryError
from domain.hashing import canonical_json
from tests.fakes import Acted, Drop, FakeWebhook, Slow, Status
from tests.fakes.webhook import expected_signature

LINK = "https://www.example.gov.cn/news/41/index.html"
SIGNING_SECRET = "whsec-test-4f1c9a"


@pytest.fixture
def channel(channel_config):
    return WebhookChannel(channel_config)


@pytest.fixture
def variant(channel, picture):
    content = Content(
        title="关于做好2025年防汛工作的通知",
        body="## 部署\n\n全市各级各部门要切实做好防汛准备工作。\n",
        summary="防汛工作部署要点",
    )
    return channel.render(
        RenderInput(draft_id=41, content=content, cover=picture(), website_url=LINK)
    )


def post(channel, variant, fake, http, make_target, key="post-1-webhook", secret=None):
    return channel.publish(
        variant,
        make_target("webhook", url=fake.endpoint),
        secret={"signing_secret": SIGNING_SECRET} if secret is None else secret,
        key=key,
        http=http,
    )


# -- render -------------------------------------------------------------------------------


def test_channel_meets_the_protocol_and_has_its_template(channel_config):
    assert isinstance(WebhookChannel(channel_config), Channel)
    assert template_exists(f"channels/{SPEC.template_name}")


def test_spec_and_render(variant):
    assert SPEC.key == "webhook" and SPEC.delivery is DeliveryKind.WEBHOOK
    assert SPEC.title_max is None and SPEC.body_max is None
    assert variant.violations == () and variant.measures == ()
    html = variant.fields["html"]
    assert "<h1>关于做好2025年防汛工作的通知</h1>" in html
    assert "<h2>部署</h2>" in html and f'<a href="{LINK}">' in html
    assert variant.fields["text"].startswith("部署")
    assert variant.image("cover") is not None


def test_no_length_limits(channel):
    long = "长" * 50_000
    variant = channel.render(RenderInput(draft_id=1, content=Content(title="题" * 300, body=long)))
    assert variant.violations == ()
    assert variant.fields["text"] == long


def test_render_is_safe_and_deterministic(channel):
    content = Content(title="{{ 7*7 }}", body="<script>alert(1)</script> {{ 7*7 }}\n")
    first = channel.render(RenderInput(draft_id=1, content=content))
    assert "<script" not in first.fields["html"]
    assert "{{ 7*7 }}" in first.fields["html"] and "49" not in first.fields["html"]
    assert first.hash == channel.render(RenderInput(draft_id=1, content=content)).hash


NOW = 1_700_000_000


def test_sign_and_verify_agree():
    body = b'{"a":1}'
    signature = sign("s3cret", str(NOW), "mp-1-abc", body)
    assert signature == expected_signature("s3cret", str(NOW), "mp-1-abc", body)
    assert verify("s3cret", str(NOW), "mp-1-abc", body, signature, now=NOW)
    assert not verify("s3cret", str(NOW + 1), "mp-1-abc", body, signature, now=NOW)
    assert not verify("other", str(NOW), "mp-1-abc", body, signature, now=NOW)


def test_the_idempotency_key_is_signed_too():
    # A receiver that deduplicates on Idempotency-Key must be able to trust it: a captured
    # request replayed under another key does not verify.
    body = b'{"a":1}'
    signature = sign("s3cret", str(NOW), "mp-1-abc", body)
    assert not verify("s3cret", str(NOW), "mp-2-abc", body, signature, now=NOW)


@pytest.mark.parametrize(
    ("sent", "tolerance", "ok"),
    [
        (NOW - 300, 300, True),
        (NOW - 301, 300, False),  # a replay of an old request
        (NOW + 301, 300, False),  # a clock far ahead
        (NOW - 3600, 7200, True),
    ],
)
def test_verify_checks_the_timestamp_within_a_tolerance(sent, tolerance, ok):
    body = b"{}"
    signature = sign("s3cret", str(sent), "k", body)
    assert verify("s3cret", str(sent), "k", body, signature, now=NOW, tolerance=tolerance) is ok


def test_verify_uses_the_clock_and_300_seconds_by_default():
    body = b"{}"
    fresh = str(int(time.time()))
    stale = str(int(time.time()) - 3600)
    assert verify("s3cret", fresh, "k", body, sign("s3cret", fresh, "k", body))
    assert not verify("s3cret", stale, "k", body, sign("s3cret", stale, "k", body))


def test_verify_accepts_several_secrets_while_they_rotate():
    body = b"{}"
    old = sign("old-secret", str(NOW), "k", body)
    new = sign("new-secret", str(NOW), "k", body)
    accepted = ["new-secret", "old-secret"]
    assert verify(accepted, str(NOW), "k", body, old, now=NOW)
    assert verify(accepted, str(NOW), "k", body, new, now=NOW)
    assert not verify(["new-secret"], str(NOW), "k", body, old, now=NOW)
    assert not verify([], str(NOW), "k", body, new, now=NOW)


@pytest.mark.parametrize("timestamp", ["", "soon", "1.5e9"])
def test_verify_refuses_a_timestamp_that_is_not_whole_seconds(timestamp):
    assert not verify("s3cret", timestamp, "k", b"{}", sign("s3cret", "0", "k", b"{}"), now=NOW)


# -- publish ------------------------------------------------------------------------------


def test_post_is_signed_keyed_and_carries_the_variant(
    channel, variant, webhook_fake, http, make_target
):
    receipt = post(channel, variant, webhook_fake, http, make_target)

    [request] = webhook_fake.requests
    assert request.extra["signature_valid"] is True
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert headers["idempotency-key"] == "post-1-webhook"
    assert headers["content-type"].startswith("application/json")
    assert headers["x-matrixpub-signature"] == expected_signature(
        SIGNING_SECRET, headers["x-matrixpub-timestamp"], "post-1-webhook", request.body
    )
    payload = request.json
    assert payload["key"] == "post-1-webhook" and payload["channel"] == "webhook"
    assert payload["variant_hash"] == variant.hash
    assert payload["account"] == {
        "id": 7,
        "name": "某市发布",
        "unit": "某市人民政府新闻办公室",
        "platform_id": "gh_0123456789ab",
    }
    assert payload["approved"] == variant.payload()  # the approved variant, in its envelope
    assert canonical_json(variant.payload()) in request.body  # byte for byte
    assert payload["sent_at"].endswith("+00:00")
    [image] = payload["images"]
    assert base64.b64decode(image["data_base64"]) == variant.image("cover").data
    assert image["sha256"] == variant.image("cover").sha256
    assert "关于做好".encode() in request.body  # UTF-8, not \\u escapes

    assert receipt.state is DeliveryState.PUBLISHED
    assert receipt.external_id == "item-1"
    assert receipt.url == "https://media.example.cn/items/1"
    assert receipt.data["key"] == "post-1-webhook"
    assert SIGNING_SECRET not in json.dumps(receipt.as_dict())


def test_same_key_is_delivered_once_by_the_receiver(
    channel, variant, webhook_fake, http, make_target
):
    first = post(channel, variant, webhook_fake, http, make_target, key="k-1")
    again = post(channel, variant, webhook_fake, http, make_target, key="k-1")
    assert first.external_id == again.external_id
    assert webhook_fake.received["k-1"] == 2 and webhook_fake.deliveries["k-1"] == 1


@pytest.mark.parametrize("secret", [None, {}, {"secret": "mistyped-field-name"}])
def test_without_a_signing_secret_nothing_is_sent_and_the_account_waits(
    channel, variant, http, make_target, secret
):
    with FakeWebhook(signing_secret=None) as fake:
        with pytest.raises(AccountHeld) as caught:
            channel.publish(
                variant,
                make_target("webhook", url=fake.endpoint),
                secret=secret,
                key="k",
                http=http,
            )
        assert fake.requests == []
    held = caught.value
    assert held.kind == "webhook_unsigned" and held.until is None
    assert "signing_secret" in held.message and "--unsigned" in held.message


def test_an_account_registered_unsigned_is_sent_without_a_signature(
    channel, variant, http, make_target
):
    target = replace(make_target("webhook"), unsigned=True)
    with FakeWebhook(signing_secret=None) as fake:
        target = replace(target, url=fake.endpoint)
        receipt = channel.publish(variant, target, secret=None, key="k", http=http)
        [request] = fake.requests
    assert receipt.state is DeliveryState.PUBLISHED
    headers = {k.lower() for k in request.headers}
    assert "x-matrixpub-signature" not in headers and "x-matrixpub-timestamp" in headers


def test_body_pictures_are_delivered(channel, webhook_fake, http, make_target, picture):
    content = Content(
        title="防汛通知",
        body="全市做好防汛准备。\n\n![水位示意图](map.png)\n\n![外部图](https://cdn.example.com/a.png)\n",
    )
    map_png = picture(800, 600, "#228844", "PNG")
    variant = channel.render(
        RenderInput(draft_id=41, content=content, cover=picture(), images={"map.png": map_png})
    )
    assert variant.violations == ()
    body_image = variant.image("image-1")
    assert body_image is not None and body_image.media_type == "image/jpeg"
    assert 'src="image-1.jpg"' in variant.fields["html"]
    assert "map.png" not in variant.fields["html"]
    assert 'src="https://cdn.example.com/a.png"' in variant.fields["html"]  # left as it is

    post(channel, variant, webhook_fake, http, make_target)
    images = {i["filename"]: i for i in webhook_fake.payloads[0]["images"]}
    assert sorted(images) == ["cover.jpg", "image-1.jpg"]
    assert base64.b64decode(images["image-1.jpg"]["data_base64"]) == body_image.data
    assert images["image-1.jpg"]["role"] == "image-1"


def test_a_body_picture_that_is_not_attached_is_a_violation(channel):
    content = Content(title="标题", body="![图](missing.png)\n")
    variant = channel.render(RenderInput(draft_id=1, content=content))
    assert ("body", "missing_image") in {(v.field, v.code) for v in variant.violations}


def test_a_wrong_secret_is_refused_permanently(channel, variant, webhook_fake, http, make_target):
    with pytest.raises(PermanentDeliveryError, match="HTTP 401") as caught:
        post(
            channel,
            variant,
            webhook_fake,
            http,
            make_target,
            secret={"signing_secret": "nope-1234"},
        )
    assert caught.value.code == 401
    assert "nope-1234" not in str(caught.value)


@pytest.mark.parametrize("status", [400, 404, 410, 422])
def test_4xx_is_permanent(channel, variant, webhook_fake, http, make_target, status):
    webhook_fake.inject("*", FakeWebhook.reply(status, {"error": "no such column"}))
    with pytest.raises(PermanentDeliveryError, match=f"HTTP {status}.*no such column"):
        post(channel, variant, webhook_fake, http, make_target)


def test_429_is_transient_with_retry_after(channel, variant, webhook_fake, http, make_target):
    webhook_fake.inject("*", Status(429, headers=(("Retry-After", "30"),)))
    with pytest.raises(TransientDeliveryError) as caught:
        post(channel, variant, webhook_fake, http, make_target)
    assert caught.value.code == 429 and caught.value.retry_after == 30.0


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_5xx_is_transient_and_the_resend_is_delivered_once(
    channel, variant, webhook_fake, http, make_target, status
):
    """The receiver treats a repeated Idempotency-Key as the same delivery, so a POST whose
    answer was lost is safe to send again."""
    webhook_fake.inject("*", Acted(status))
    with pytest.raises(TransientDeliveryError, match=f"HTTP {status}"):
        post(channel, variant, webhook_fake, http, make_target, key="k-5xx")
    post(channel, variant, webhook_fake, http, make_target, key="k-5xx")
    assert webhook_fake.received["k-5xx"] == 2 and webhook_fake.deliveries["k-5xx"] == 1


def test_a_redirect_is_permanent_and_not_followed(
    channel, variant, webhook_fake, http, make_target
):
    webhook_fake.inject("*", Status(302, headers=(("Location", "/elsewhere"),)))
    with pytest.raises(PermanentDeliveryError, match="HTTP 302"):
        post(channel, variant, webhook_fake, http, make_target)
    assert webhook_fake.count("/elsewhere") == 0


@pytest.mark.parametrize("fault", [Slow(2.0), Drop()], ids=["timeout", "dropped"])
def test_lost_answer_is_transient_and_keyed(
    channel, variant, webhook_fake, http, make_target, fault
):
    webhook_fake.inject("*", fault)
    with pytest.raises(TransientDeliveryError, match="safe to try again"):
        post(channel, variant, webhook_fake, http, make_target, key="k-lost")
    assert webhook_fake.deliveries["k-lost"] == 1  # the receiver did get it
    post(channel, variant, webhook_fake, http, make_target, key="k-lost")
    assert webhook_fake.deliveries["k-lost"] == 1  # and took the resend as the same one


def test_connection_refused_is_transient(channel, variant, http, make_target, closed_port):
    target = make_target("webhook", url=f"http://127.0.0.1:{closed_port}/hook?token=abc123456")
    with pytest.raises(TransientDeliveryError, match="nothing was sent") as caught:
        channel.publish(
            variant, target, secret={"signing_secret": SIGNING_SECRET}, key="k", http=http
        )
    assert "abc123456" not in str(caught.value)


def test_no_endpoint_is_permanent(channel, variant, http, make_target):
    with pytest.raises(PermanentDeliveryError, match="no endpoint"):
        channel.publish(variant, make_target("webhook"), secret=None, key="k", http=http)


def test_image_urls_instead_of_base64(channel_config, webhook_fake, http, make_target, picture):
    channel = WebhookChannel(channel_config, image_mode="url")
    variant = channel.render(
        RenderInput(
            draft_id=41,
            content=Content(title="标题", body="正文"),
            cover=picture(),
            website_url=LINK,
        )
    )
    post(channel, variant, webhook_fake, http, make_target)
    [image] = webhook_fake.payloads[0]["images"]
    assert image["url"] == "https://www.example.gov.cn/news/41/cover.jpg"
    assert image["filename"] == "cover.jpg"
    assert "data_base64" not in image
    assert 'src="https://www.example.gov.cn/news/41/cover.jpg"' in variant.fields["html"]


def test_image_urls_need_the_website(channel_config, picture):
    channel = WebhookChannel(channel_config, image_mode="url")
    variant = channel.render(
        RenderInput(draft_id=41, content=Content(title="标题", body="正文"), cover=picture())
    )
    assert variant.fields["image_base"] == "" and "embedded" in variant.fields["notes"]


def test_body_picture_urls_beside_the_website_article(channel_config, picture, make_target):
    channel = WebhookChannel(channel_config, image_mode="url")
    variant = channel.render(
        RenderInput(
            draft_id=41,
            content=Content(title="标题", body="![图](map.png)\n"),
            images={"map.png": picture(600, 400)},
            website_url=LINK,
        )
    )
    html = variant.fields["html"]
    assert 'src="https://www.example.gov.cn/news/41/image-1.jpg"' in html
    assert 'class="cover"' not in html  # no cover: the body picture is not taken for one
    payload = channel.payload(variant, make_target("webhook"), key="k")
    [image] = payload["images"]
    assert image["url"] == "https://www.example.gov.cn/news/41/image-1.jpg"
