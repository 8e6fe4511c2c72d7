"""Local fake platform servers (WeChat, Weibo, webhook receiver) for tests and benchmarks."""

from tests.fakes.server import (
    Acted,
    Drop,
    FakeServer,
    Fault,
    Held,
    Reply,
    RequestRecord,
    Response,
    Slow,
    Status,
    UploadedFile,
)
from tests.fakes.webhook import FakeWebhook
from tests.fakes.wechat import FakeWeChat
from tests.fakes.weibo import FakeWeibo

__all__ = [
    "Acted",
    "Drop",
    "FakeServer",
    "FakeWeChat",
    "FakeWebhook",
    "FakeWeibo",
    "Fault",
    "Held",
    "Reply",
    "RequestRecord",
    "Response",
    "Slow",
    "Status",
    "UploadedFile",
]
