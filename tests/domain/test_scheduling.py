"""The scheduling policy and planner, by example: what an author or admin would see."""

from __future__ import annotations

import itertools
import random
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from domain.accounts import AccountState
from domain.errors import InvalidInput
from domain.scheduling import (
    ALL_DAY,
    AccountPolicy,
    Freeze,
    InvalidSchedule,
    Item,
    Plan,
    Planned,
    Post,
    Quota,
    SendAction,
    Unplaced,
    Window,
    check_send,
    format_local,
    next_open,
    parse_local_datetime,
    parse_quota,
    parse_window,
    parse_windows,
    plan,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
DAYTIME = parse_windows("07:30-22:00")


def at(text: str, tz: ZoneInfo = SHANGHAI) -> datetime:
    return parse_local_datetime(text, tz)


def local(value: datetime, tz: ZoneInfo = SHANGHAI) -> str:
    return format_local(value, tz)


def dues(result: Plan, tz: ZoneInfo = SHANGHAI) -> list[tuple[int, int, str]]:
    return [(p.item_id, p.account_id, local(p.due, tz)) for p in result.planned]


def item(item_id: int, accounts: tuple[int, ...], not_before: str, **kw) -> Item:
    kw.setdefault("priority", 0)
    kw.setdefault("expires", None)
    return Item(item_id=item_id, not_before=at(not_before), accounts=accounts, **kw)


# --- reading windows, quotas and times -------------------------------------------------------


def test_parse_window_reads_plain_crossing_and_all_day_windows():
    assert parse_window("07:30-22:00") == Window(time(7, 30), time(22))
    crossing = parse_window("22:00-02:00")
    assert crossing.crosses_midnight and not crossing.all_day
    assert parse_window("00:00-24:00") == ALL_DAY
    assert parse_window("00:00-00:00").all_day
    assert parse_window(" 8:00 ～ 12:00 ") == Window(time(8), time(12))  # what people type
    assert parse_window("08：00至12：00") == Window(time(8), time(12))
    assert str(parse_window("07:30-24:00")) == "07:30-24:00"
    assert str(ALL_DAY) == "00:00-24:00"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("7:30", "should look like 07:30-22:00"),
        ("07:30-", "should look like 07:30-22:00"),
        ("25:00-26:00", "'25:00' is not a time of day"),
        ("07:60-08:00", "'07:60' is not a time of day"),
        ("0730-2200", "'0730' is not a time of day"),
        ("24:00-08:00", "'24:00' is not a time of day"),
        ("07:30-07:30", "write 00:00-24:00 for the whole day"),
    ],
)
def test_parse_window_refuses_with_a_message_a_person_can_act_on(text, says):
    with pytest.raises(InvalidSchedule) as caught:
        parse_window(text)
    assert says in str(caught.value)
    assert repr(text) in str(caught.value)
    # One error for both worlds: the CLI shows InvalidInput (exit 2), callers may catch ValueError.
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, InvalidInput)


def test_parse_windows_reads_several_windows_a_day():
    assert parse_windows("07:30-12:00,14:00-22:00") == (
        Window(time(7, 30), time(12)),
        Window(time(14), time(22)),
    )
    assert parse_windows("07:30-12:00，14:00-22:00") == parse_windows("07:30-12:00; 14:00-22:00")
    assert parse_windows("") == ()
    with pytest.raises(InvalidSchedule, match="'9-10'"):
        parse_windows("07:30-12:00,9-10")


def test_parse_quota():
    assert parse_quota("1/day") == Quota(1, "day")
    assert parse_quota(" 4 / Month ") == Quota(4, "month")
    assert parse_quota("30/hour") == Quota(30, "hour")
    assert parse_quota("none") is None
    for bad in ("1/week", "day", "0/day", "-1/day", "x/day"):
        with pytest.raises(InvalidSchedule):
            parse_quota(bad)
    with pytest.raises(ValueError, match="at least 1"):
        Quota(0, "day")


def test_parse_local_datetime_reads_the_organisation_zone():
    assert at("2026-12-01 08:00") == datetime(2026, 12, 1, 0, 0, tzinfo=UTC)
    assert at("2026-12-01T08:00") == at("2026-12-01 08:00:00")
    assert at("2026-12-01") == at("2026-12-01 00:00")
    # An explicit offset is honoured and shown in the organisation's zone.
    value = parse_local_datetime("2026-12-01T08:00+00:00", SHANGHAI)
    assert local(value) == "2026-12-01 16:00"
    assert value.tzinfo == SHANGHAI


def test_parse_local_datetime_refuses_times_the_clocks_skip_and_takes_the_first_of_two():
    with pytest.raises(InvalidSchedule, match="does not exist in Europe/Berlin"):
        parse_local_datetime("2026-03-29 02:30", BERLIN)
    twice = parse_local_datetime("2026-10-25 02:30", BERLIN)  # happens twice: CEST, then CET
    assert twice.utcoffset() == timedelta(hours=2)
    with pytest.raises(InvalidSchedule, match="write it like 2026-12-01 08:00"):
        parse_local_datetime("tomorrow morning", SHANGHAI)


def test_naive_datetimes_are_refused():
    naive = datetime(2026, 12, 1, 8)
    with pytest.raises(ValueError, match="timezone-aware"):
        Item(1, 0, naive, None, (1,))
    with pytest.raises(ValueError, match="timezone-aware"):
        Freeze(naive, at("2026-12-02 08:00"), "两会")
    with pytest.raises(ValueError, match="timezone-aware"):
        plan([], {}, now=naive, tz=SHANGHAI)
    with pytest.raises(ValueError, match="timezone-aware"):
        plan(
            [], {1: AccountPolicy(1)}, now=at("2026-12-01 08:00"), tz=SHANGHAI, booked={1: [naive]}
        )
    with pytest.raises(ValueError, match="timezone-aware"):
        next_open(AccountPolicy(1), naive, SHANGHAI)


def test_policy_takes_a_channel_spec_quota_and_refuses_nonsense():
    class SpecQuota:  # what channels.base.Quota looks like
        count = 4
        per = "month"

    assert AccountPolicy(1, quota=SpecQuota()).quota == Quota(4, "month")
    with pytest.raises(ValueError, match="negative"):
        AccountPolicy(1, spacing=timedelta(minutes=-1))
    with pytest.raises(ValueError, match="end after it starts"):
        Freeze(at("2026-12-02 08:00"), at("2026-12-01 08:00"), "两会")
    with pytest.raises(ValueError, match="reason"):
        Freeze(at("2026-12-01 08:00"), at("2026-12-02 08:00"), " ")


# --- windows and freezes ---------------------------------------------------------------------


def test_next_open_inside_before_and_after_a_window():
    policy = AccountPolicy(1, DAYTIME)
    assert next_open(policy, at("2026-12-01 09:00"), SHANGHAI) == at("2026-12-01 09:00")
    assert next_open(policy, at("2026-12-01 06:00"), SHANGHAI) == at("2026-12-01 07:30")
    assert next_open(policy, at("2026-12-01 07:30"), SHANGHAI) == at("2026-12-01 07:30")
    # Half-open: at 22:00 the window has closed.
    assert next_open(policy, at("2026-12-01 22:00"), SHANGHAI) == at("2026-12-02 07:30")
    assert next_open(policy, at("2026-12-01 23:59"), SHANGHAI) == at("2026-12-02 07:30")


def test_next_open_with_several_windows_a_day():
    policy = AccountPolicy(1, parse_windows("07:30-12:00,14:00-22:00"))
    assert next_open(policy, at("2026-12-01 12:30"), SHANGHAI) == at("2026-12-01 14:00")
    assert next_open(policy, at("2026-12-01 11:59"), SHANGHAI) == at("2026-12-01 11:59")


def test_window_crossing_midnight():
    policy = AccountPolicy(1, parse_windows("22:00-02:00"))
    assert next_open(policy, at("2026-12-01 23:00"), SHANGHAI) == at("2026-12-01 23:00")
    assert next_open(policy, at("2026-12-02 01:59"), SHANGHAI) == at("2026-12-02 01:59")
    assert next_open(policy, at("2026-12-02 02:00"), SHANGHAI) == at("2026-12-02 22:00")
    assert next_open(policy, at("2026-12-02 12:00"), SHANGHAI) == at("2026-12-02 22:00")


def test_all_day_and_no_window_are_always_open():
    for policy in (AccountPolicy(1, (ALL_DAY,)), AccountPolicy(1)):
        for text in ("2026-12-01 00:00", "2026-12-01 13:37", "2026-12-31 23:59"):
            assert next_open(policy, at(text), SHANGHAI) == at(text)


def test_freezes_hold_posts_unless_released():
    policy = AccountPolicy(1, DAYTIME)
    freeze = Freeze(at("2026-12-01 08:00"), at("2026-12-01 12:00"), "重大活动静默期")
    t = at("2026-12-01 09:00")
    assert next_open(policy, t, SHANGHAI, [freeze]) == at("2026-12-01 12:00")
    assert next_open(policy, t, SHANGHAI, [freeze], released=True) == t
    # A freeze ending outside the window waits for the next opening.
    late = Freeze(at("2026-12-01 20:00"), at("2026-12-01 23:00"), "静默")
    assert next_open(policy, at("2026-12-01 21:00"), SHANGHAI, [late]) == at("2026-12-02 07:30")
    # Back-to-back freezes chain.
    chained = [freeze, Freeze(at("2026-12-01 12:00"), at("2026-12-01 15:00"), "延长")]
    assert next_open(policy, t, SHANGHAI, chained) == at("2026-12-01 15:00")


def test_windows_follow_the_local_clock_across_daylight_saving():
    policy = AccountPolicy(1, DAYTIME)
    # Berlin springs forward on 2026-03-29: 07:30 is 06:30 UTC the day before, 05:30 UTC after.
    saturday = next_open(policy, at("2026-03-28 03:00", BERLIN), BERLIN)
    sunday = next_open(policy, at("2026-03-29 03:00", BERLIN), BERLIN)
    assert saturday == datetime(2026, 3, 28, 6, 30, tzinfo=UTC)
    assert sunday == datetime(2026, 3, 29, 5, 30, tzinfo=UTC)
    assert sunday - saturday == timedelta(hours=23)
    # A window opening inside the skipped hour opens by the wall clock moved forward.
    gap = AccountPolicy(1, parse_windows("02:30-04:00"))
    opened = next_open(gap, at("2026-03-29 00:00", BERLIN), BERLIN)
    assert local(opened, BERLIN) == "2026-03-29 03:30"
    # On the night clocks go back, 22:00-02:00 closes at the first 02:00.
    night = AccountPolicy(1, parse_windows("22:00-02:00"))
    first_two = datetime(2026, 10, 25, 0, 0, tzinfo=UTC)  # 02:00 CEST
    assert next_open(night, first_two - timedelta(minutes=1), BERLIN) < first_two
    assert local(next_open(night, first_two, BERLIN), BERLIN) == "2026-10-25 22:00"


# --- the planner -----------------------------------------------------------------------------


def test_website_and_webhook_posts_go_out_as_soon_as_due():
    result = plan(
        [item(1, (9,), "2026-12-01 03:17")],
        {9: AccountPolicy(9)},
        now=at("2026-12-01 00:00"),
        tz=SHANGHAI,
    )
    assert dues(result) == [(1, 9, "2026-12-01 03:17")]


def test_subscription_account_once_a_day_second_item_goes_next_day():
    subscription = AccountPolicy(1, DAYTIME, quota=Quota(1, "day"))  # 订阅号
    result = plan(
        [item(1, (1,), "2026-12-01 09:00"), item(2, (1,), "2026-12-01 09:00")],
        {1: subscription},
        now=at("2026-12-01 08:00"),
        tz=SHANGHAI,
    )
    assert dues(result) == [(1, 1, "2026-12-01 09:00"), (2, 1, "2026-12-02 07:30")]


def test_daily_quota_is_the_calendar_day_not_24_hours():
    always = AccountPolicy(1, quota=Quota(1, "day"))
    result = plan(
        [item(1, (1,), "2026-12-01 23:55")],
        {1: always},
        now=at("2026-12-01 23:55"),
        tz=SHANGHAI,
        booked={1: [at("2026-12-01 23:50")]},
    )
    assert dues(result) == [(1, 1, "2026-12-02 00:00")]


def test_service_account_four_a_month():
    service = AccountPolicy(
        1, parse_windows("08:00-20:00"), spacing=timedelta(hours=1), quota=Quota(4, "month")
    )
    items = [item(i, (1,), "2026-12-30 08:00") for i in range(1, 7)]
    result = plan(
        items,
        {1: service},
        now=at("2026-12-01 00:00"),
        tz=SHANGHAI,
        booked={1: [at("2026-12-03 10:00")]},  # one mass send already went out this month
    )
    assert dues(result) == [
        (1, 1, "2026-12-30 08:00"),
        (2, 1, "2026-12-30 09:00"),
        (3, 1, "2026-12-30 10:00"),
        (4, 1, "2027-01-01 08:00"),
        (5, 1, "2027-01-01 09:00"),
        (6, 1, "2027-01-01 10:00"),
    ]


def test_weibo_thirty_an_hour_by_the_clock():
    weibo = AccountPolicy(1, DAYTIME, quota=Quota(30, "hour"))
    items = [item(i, (1,), "2026-12-01 08:40") for i in range(1, 32)]
    result = plan(items, {1: weibo}, now=at("2026-12-01 08:00"), tz=SHANGHAI)
    assert [d for *_, d in dues(result)] == ["2026-12-01 08:40"] * 30 + ["2026-12-01 09:00"]


def test_weibo_thirty_an_hour_and_a_hundred_a_day():
    # Weibo's two platform limits at once: 30 posts an hour and 100 calls a day. The 101st
    # post waits for the next calendar day, though its hour still has room.
    weibo = AccountPolicy(1, quota=Quota(30, "hour"), limits=(Quota(100, "day"),))
    items = [item(i, (1,), "2026-12-01 08:00") for i in range(1, 103)]
    result = plan(items, {1: weibo}, now=at("2026-12-01 08:00"), tz=SHANGHAI)
    days = [d for *_, d in dues(result)]
    assert days[:30] == ["2026-12-01 08:00"] * 30 and days[30] == "2026-12-01 09:00"
    assert days[99] == "2026-12-01 11:00"
    assert days[100:] == ["2026-12-02 00:00"] * 2
    assert weibo.quotas == (Quota(30, "hour"), Quota(100, "day"))
    due = at("2026-12-01 11:30")
    decision = check_send(
        due,
        weibo,
        Post(item_id=101, account_id=1, due=due, not_before=due, expires=None),
        sent=[at("2026-12-01 08:00")] * 100,
        freezes=[],
        tz=SHANGHAI,
        state=AccountState.ACTIVE,
    )
    assert decision.action is SendAction.RESCHEDULE and decision.at == at("2026-12-02 00:00")
    assert "quota of 100 a day" in decision.reason


def test_hourly_quota_counts_the_repeated_autumn_hour_twice():
    # Berlin 2026-10-25: 02:00-03:00 happens in CEST and again in CET; two clock hours.
    hourly = AccountPolicy(1, quota=Quota(1, "hour"))
    first_0210 = datetime(2026, 10, 25, 0, 10, tzinfo=UTC)
    result = plan(
        [Item(1, 0, first_0210, None, (1,))],
        {1: hourly},
        now=first_0210,
        tz=BERLIN,
        booked={1: [first_0210 - timedelta(minutes=5)]},
    )
    assert result.planned == (Planned(1, 1, datetime(2026, 10, 25, 1, 0, tzinfo=UTC)),)
    assert local(result.planned[0].due, BERLIN) == "2026-10-25 02:00"  # the second one


def test_hourly_quota_in_a_zone_with_half_hour_clock_changes_still_finishes():
    # Lord Howe Island goes back from 02:00 to 01:30 on 2026-04-05; hours overlap there.
    lord_howe = ZoneInfo("Australia/Lord_Howe")
    start = parse_local_datetime("2026-04-05 01:00", lord_howe)
    result = plan(
        [Item(i, 0, start, None, (1,)) for i in range(6)],
        {1: AccountPolicy(1, quota=Quota(1, "hour"))},
        now=start,
        tz=lord_howe,
    )
    hours = [p.due for p in result.planned]
    assert len(hours) == 6
    assert all(b - a >= timedelta(minutes=30) for a, b in itertools.pairwise(hours))


def test_spacing_keeps_posts_apart_on_both_sides_of_a_booking():
    spaced = AccountPolicy(1, DAYTIME, spacing=timedelta(minutes=30))
    result = plan(
        [item(1, (1,), "2026-12-01 08:00"), item(2, (1,), "2026-12-01 08:00")],
        {1: spaced},
        now=at("2026-12-01 08:00"),
        tz=SHANGHAI,
    )
    assert dues(result) == [(1, 1, "2026-12-01 08:00"), (2, 1, "2026-12-01 08:30")]
    # A post already booked at 09:00 keeps 08:45 free only if it is an hour away: it is not.
    hourly = AccountPolicy(1, DAYTIME, spacing=timedelta(hours=1))
    result = plan(
        [item(1, (1,), "2026-12-01 08:45")],
        {1: hourly},
        now=at("2026-12-01 08:00"),
        tz=SHANGHAI,
        booked={1: [at("2026-12-01 09:00")]},
    )
    assert dues(result) == [(1, 1, "2026-12-01 10:00")]


def test_spacing_is_met_exactly_on_both_sides():
    spaced = AccountPolicy(1, DAYTIME, spacing=timedelta(minutes=30))
    result = plan(
        [item(1, (1,), "2026-12-01 08:00")],
        {1: spaced},
        now=at("2026-12-01 08:00"),
        tz=SHANGHAI,
        booked={1: [at("2026-12-01 08:00"), at("2026-12-01 09:00")]},
    )
    assert dues(result) == [(1, 1, "2026-12-01 08:30")]


def test_spacing_that_runs_to_the_window_close_waits_for_the_next_opening():
    spaced = AccountPolicy(1, DAYTIME, spacing=timedelta(minutes=30))
    result = plan(
        [item(1, (1,), "2026-12-01 21:40")],
        {1: spaced},
        now=at("2026-12-01 21:00"),
        tz=SHANGHAI,
        booked={1: [at("2026-12-01 21:30")]},
    )
    assert dues(result) == [(1, 1, "2026-12-02 07:30")]


def test_embargo_is_never_broken():
    result = plan(
        [item(1, (1,), "2026-12-03 23:00"), item(2, (2,), "2026-12-03 10:15")],
        {1: AccountPolicy(1, DAYTIME), 2: AccountPolicy(2, DAYTIME)},
        now=at("2026-12-01 08:00"),
        tz=SHANGHAI,
    )
    assert dues(result) == [(2, 2, "2026-12-03 10:15"), (1, 1, "2026-12-04 07:30")]


def test_an_item_that_cannot_go_before_expiry_is_reported_not_planned_late():
    subscription = AccountPolicy(1, DAYTIME, quota=Quota(1, "day"))
    result = plan(
        [
            item(1, (1,), "2026-12-01 09:00"),
            item(2, (1,), "2026-12-01 09:00", expires=at("2026-12-01 21:00")),
            item(3, (1,), "2026-11-29 09:00", expires=at("2026-11-30 09:00")),
            item(4, (1,), "2026-12-03 09:00", expires=at("2026-12-02 09:00")),
        ],
        {1: subscription},
        now=at("2026-12-01 08:00"),
        tz=SHANGHAI,
    )
    assert dues(result) == [(1, 1, "2026-12-01 09:00")]
    reasons = {u.item_id: (u.code, u.reason) for u in result.unplaceable}
    assert reasons[2] == (
        Unplaced.EXPIRED,
        "no slot before it expires at 2026-12-01 21:00: quota of 1 a day used up for 2026-12-01",
    )
    assert reasons[3] == (Unplaced.EXPIRED, "expires at 2026-11-30 09:00, before it can be placed")
    assert reasons[4] == (
        Unplaced.EXPIRED,
        "expires at 2026-12-02 09:00, before its embargo lifts at 2026-12-03 09:00",
    )


def test_beyond_the_horizon_is_reported_for_a_later_plan():
    result = plan(
        [item(1, (1,), "2027-03-01 09:00"), item(2, (2,), "2026-12-01 09:00")],
        {1: AccountPolicy(1), 2: AccountPolicy(2, quota=Quota(1, "month"))},
        now=at("2026-12-01 08:00"),
        tz=SHANGHAI,
        booked={2: [at("2026-12-01 07:00"), at("2027-01-01 07:00")]},
        horizon=timedelta(days=40),
    )
    assert result.planned == ()
    assert [(u.item_id, u.code) for u in result.unplaceable] == [
        (2, Unplaced.HORIZON),
        (1, Unplaced.HORIZON),
    ]
    assert "quota of 1 a month used up for 2026-12" in result.unplaceable[0].reason


def test_freeze_in_the_planner_unless_a_leader_released_the_item():
    freeze = Freeze(at("2026-12-01 00:00"), at("2026-12-02 12:00"), "两会静默期")
    result = plan(
        [item(1, (1,), "2026-12-01 09:00"), item(2, (2,), "2026-12-01 09:00", released=True)],
        {1: AccountPolicy(1, DAYTIME), 2: AccountPolicy(2, DAYTIME)},
        now=at("2026-12-01 08:00"),
        tz=SHANGHAI,
        freezes=[freeze],
    )
    assert dues(result) == [(1, 1, "2026-12-02 12:00"), (2, 2, "2026-12-01 09:00")]


def test_unknown_or_closed_accounts_are_reported():
    result = plan(
        [item(1, (1, 2, 2), "2026-12-01 09:00")],
        {1: AccountPolicy(1)},
        now=at("2026-12-01 08:00"),
        tz=SHANGHAI,
    )
    assert dues(result) == [(1, 1, "2026-12-01 09:00")]
    assert [(u.account_id, u.code, u.reason) for u in result.unplaceable] == [
        (2, Unplaced.NOT_OPEN, "account 2 is not open for posts")
    ]


# --- matrix repost (集中转载) ------------------------------------------------------------------


def test_fan_out_main_account_first_then_staggered():
    policies = {a: AccountPolicy(a, DAYTIME) for a in (3, 5, 11)}
    policies[7] = AccountPolicy(7, DAYTIME, is_main=True)
    result = plan(
        [item(1, (5, 11, 3, 7), "2026-12-01 06:00")],
        policies,
        now=at("2026-12-01 06:00"),
        tz=SHANGHAI,
    )
    assert dues(result) == [
        (1, 7, "2026-12-01 07:30"),
        (1, 3, "2026-12-01 07:32"),
        (1, 5, "2026-12-01 07:34"),
        (1, 11, "2026-12-01 07:36"),
    ]


def test_fan_out_stays_staggered_when_the_others_open_later_than_the_main():
    policies = {a: AccountPolicy(a, parse_windows("09:00-22:00")) for a in range(2, 6)}
    policies[1] = AccountPolicy(1, is_main=True)  # e.g. the bureau's website
    result = plan(
        [item(1, tuple(range(1, 6)), "2026-12-01 06:00")],
        policies,
        now=at("2026-12-01 06:00"),
        tz=SHANGHAI,
        stagger=timedelta(minutes=10),
    )
    assert [d for *_, d in dues(result)] == [
        "2026-12-01 06:00",
        "2026-12-01 09:00",
        "2026-12-01 09:10",
        "2026-12-01 09:20",
        "2026-12-01 09:30",
    ]


def test_fan_out_waits_for_the_main_account_post():
    # The main 订阅号 has sent today; the repost follows tomorrow, after the main's post.
    policies = {a: AccountPolicy(a, DAYTIME) for a in (2, 3)}
    policies[1] = AccountPolicy(1, DAYTIME, quota=Quota(1, "day"), is_main=True)
    result = plan(
        [item(1, (1, 2, 3), "2026-12-01 10:00")],
        policies,
        now=at("2026-12-01 10:00"),
        tz=SHANGHAI,
        booked={1: [at("2026-12-01 08:00")]},
    )
    assert dues(result) == [
        (1, 1, "2026-12-02 07:30"),
        (1, 2, "2026-12-02 07:32"),
        (1, 3, "2026-12-02 07:34"),
    ]


def test_without_a_main_account_one_busy_account_holds_up_no_other():
    policies = {1: AccountPolicy(1, DAYTIME, quota=Quota(1, "day")), 2: AccountPolicy(2, DAYTIME)}
    result = plan(
        [item(1, (1, 2), "2026-12-01 10:00")],
        policies,
        now=at("2026-12-01 10:00"),
        tz=SHANGHAI,
        booked={1: [at("2026-12-01 08:00")]},
    )
    assert dues(result) == [(1, 1, "2026-12-02 07:30"), (1, 2, "2026-12-01 10:00")]


def test_a_hundred_account_fan_out_is_quick_and_spread():
    policies = {a: AccountPolicy(a, DAYTIME, spacing=timedelta(hours=1)) for a in range(2, 102)}
    policies[1] = AccountPolicy(1, DAYTIME, is_main=True, quota=Quota(1, "day"))
    items = [item(i, tuple(range(1, 102)), "2026-12-01 07:00", priority=i % 3) for i in range(20)]
    result = plan(items, policies, now=at("2026-12-01 07:00"), tz=SHANGHAI)
    assert len(result.planned) == 20 * 101
    assert result.unplaceable == ()
    for item_id in range(20):
        times = sorted(p.due for p in result.planned if p.item_id == item_id)
        assert all(b - a >= timedelta(minutes=2) for a, b in itertools.pairwise(times))


# --- order and fairness ----------------------------------------------------------------------


def test_higher_priority_takes_the_scarce_slot_whatever_the_input_order():
    subscription = {1: AccountPolicy(1, DAYTIME, quota=Quota(1, "day"))}
    items = [
        item(1, (1,), "2026-12-01 09:00", priority=0),
        item(2, (1,), "2026-12-01 09:00", priority=5),
    ]
    result = plan(items, subscription, now=at("2026-12-01 08:00"), tz=SHANGHAI)
    assert dues(result) == [(2, 1, "2026-12-01 09:00"), (1, 1, "2026-12-02 07:30")]


def test_ties_go_to_the_earlier_embargo_then_the_lower_item_id():
    subscription = {1: AccountPolicy(1, DAYTIME, quota=Quota(1, "day"))}
    items = [
        item(30, (1,), "2026-12-01 09:00"),
        item(20, (1,), "2026-12-01 09:00"),
        item(10, (1,), "2026-12-01 09:30"),
    ]
    result = plan(items, subscription, now=at("2026-12-01 08:00"), tz=SHANGHAI)
    assert dues(result) == [
        (20, 1, "2026-12-01 09:00"),
        (30, 1, "2026-12-02 07:30"),
        (10, 1, "2026-12-03 07:30"),
    ]


def test_same_inputs_in_any_order_give_the_same_plan():
    policies = {
        1: AccountPolicy(1, DAYTIME, quota=Quota(1, "day"), is_main=True),
        2: AccountPolicy(2, parse_windows("08:00-12:00,14:00-18:00"), spacing=timedelta(hours=2)),
        3: AccountPolicy(3, parse_windows("22:00-02:00"), quota=Quota(2, "hour")),
        4: AccountPolicy(4),
    }
    items = [
        item(
            i,
            tuple(sorted({1 + i % 4, 1 + (i * 7) % 4, 4})),
            f"2026-12-0{1 + i % 3} 0{i % 9}:00",
            priority=i % 2,
        )
        for i in range(12)
    ]
    freezes = [Freeze(at("2026-12-02 09:00"), at("2026-12-02 15:00"), "静默")]
    kwargs = {"now": at("2026-12-01 00:00"), "tz": SHANGHAI, "freezes": freezes}
    first = plan(items, policies, **kwargs)
    assert first == plan(items, policies, **kwargs)
    shuffled = items[:]
    random.Random(4).shuffle(shuffled)
    reordered = [
        Item(i.item_id, i.priority, i.not_before, i.expires, i.accounts[::-1]) for i in shuffled
    ]
    assert first == plan(reordered, dict(reversed(policies.items())), **kwargs)


# --- the send-time re-check (guarantee 4) ------------------------------------------------------


def post(due: str, **kw) -> Post:
    kw.setdefault("not_before", at(due))
    kw.setdefault("expires", None)
    return Post(item_id=1, account_id=1, due=at(due), **kw)


def decide(now: str, policy: AccountPolicy, the_post: Post, *, sent=(), freezes=(), **kw):
    kw.setdefault("state", AccountState.ACTIVE)
    return check_send(
        at(now), policy, the_post, sent=[at(s) for s in sent], freezes=freezes, tz=SHANGHAI, **kw
    )


def test_check_send_sends_when_every_rule_holds():
    decision = decide("2026-12-01 09:00", AccountPolicy(1, DAYTIME), post("2026-12-01 09:00"))
    assert decision.action is SendAction.SEND


def test_check_send_outside_the_window_waits_for_the_next_opening():
    decision = decide("2026-12-01 22:30", AccountPolicy(1, DAYTIME), post("2026-12-01 21:59"))
    assert decision.action is SendAction.RESCHEDULE
    assert local(decision.at) == "2026-12-02 07:30"
    assert decision.rule == "window"
    assert decision.reason == "outside the posting windows 07:30-22:00"


def test_check_send_frozen_waits_for_the_freeze_end_or_the_window_after_it():
    policy = AccountPolicy(1, DAYTIME)
    freeze = Freeze(at("2026-12-01 08:00"), at("2026-12-01 23:00"), "重要会议")
    decision = decide("2026-12-01 09:00", policy, post("2026-12-01 09:00"), freezes=[freeze])
    assert (decision.action, decision.rule) == (SendAction.RESCHEDULE, "freeze")
    assert local(decision.at) == "2026-12-02 07:30"
    assert decision.reason == (
        "frozen until 2026-12-01 23:00: 重要会议; then outside the posting windows 07:30-22:00"
    )
    released = post("2026-12-01 09:00", released=True)
    assert decide("2026-12-01 09:00", policy, released, freezes=[freeze]).action is SendAction.SEND


def test_check_send_quota_used_up_waits_for_the_next_calendar_period():
    subscription = AccountPolicy(1, DAYTIME, quota=Quota(1, "day"))
    decision = decide(
        "2026-12-01 09:00", subscription, post("2026-12-01 09:00"), sent=["2026-12-01 07:45"]
    )
    assert (decision.action, decision.rule) == (SendAction.RESCHEDULE, "quota")
    assert local(decision.at) == "2026-12-02 07:30"
    assert decision.reason.startswith("quota of 1 a day used up for 2026-12-01")
    # Yesterday's send does not count today.
    assert (
        decide(
            "2026-12-01 09:00", subscription, post("2026-12-01 09:00"), sent=["2026-11-30 21:45"]
        ).action
        is SendAction.SEND
    )
    weibo = AccountPolicy(1, DAYTIME, quota=Quota(30, "hour"))
    sent = [f"2026-12-01 09:{m:02d}" for m in range(30)]
    decision = decide("2026-12-01 09:40", weibo, post("2026-12-01 09:40"), sent=sent)
    assert local(decision.at) == "2026-12-01 10:00"


def test_check_send_too_soon_after_the_last_post_waits_out_the_spacing():
    spaced = AccountPolicy(1, DAYTIME, spacing=timedelta(minutes=45))
    decision = decide(
        "2026-12-01 09:00", spaced, post("2026-12-01 09:00"), sent=["2026-12-01 08:30"]
    )
    assert (decision.action, decision.rule) == (SendAction.RESCHEDULE, "spacing")
    assert local(decision.at) == "2026-12-01 09:15"
    assert decision.reason == "posts on this account are kept 45 min apart"


def test_check_send_never_breaks_the_embargo():
    early = post("2026-12-01 09:00", not_before=at("2026-12-01 10:00"))
    decision = decide("2026-12-01 09:00", AccountPolicy(1), early)
    assert (decision.action, decision.rule) == (SendAction.RESCHEDULE, "embargo")
    assert decision.at == at("2026-12-01 10:00")


def test_check_send_holds_a_post_that_is_not_due_yet():
    later = post("2026-12-01 09:30", not_before=at("2026-12-01 08:00"))
    decision = decide("2026-12-01 09:00", AccountPolicy(1), later)
    assert (decision.action, decision.rule) == (SendAction.RESCHEDULE, "due")
    assert decision.at == at("2026-12-01 09:30")


def test_check_send_cancels_expired_posts_and_posts_that_cannot_go_before_expiry():
    policy = AccountPolicy(1, DAYTIME)
    expired = post("2026-12-01 09:00", expires=at("2026-12-01 10:00"))
    decision = decide("2026-12-01 10:01", policy, expired)
    assert (decision.action, decision.rule) == (SendAction.CANCEL, "expired")
    assert decision.reason == "expired at 2026-12-01 10:00"
    # Exactly at expiry it still goes.
    assert decide("2026-12-01 10:00", policy, expired).action is SendAction.SEND
    tonight = post("2026-12-01 21:00", expires=at("2026-12-01 23:00"))
    decision = decide("2026-12-01 22:10", policy, tonight)
    assert (decision.action, decision.rule) == (SendAction.CANCEL, "expired")
    assert decision.reason == (
        "cannot go out before it expires at 2026-12-01 23:00: "
        "outside the posting windows 07:30-22:00"
    )


def test_check_send_cancels_posts_of_accounts_no_longer_active():
    decision = decide(
        "2026-12-01 09:00", AccountPolicy(1), post("2026-12-01 09:00"), state=AccountState.SUSPENDED
    )
    assert (decision.action, decision.rule, decision.reason) == (
        SendAction.CANCEL,
        "account",
        "account is suspended",
    )


def test_check_send_refuses_a_policy_of_another_account():
    with pytest.raises(ValueError, match="policy of account 2"):
        decide("2026-12-01 09:00", AccountPolicy(2), post("2026-12-01 09:00"))


@pytest.mark.parametrize("text", ["9999-12-31 23:00", "9999-12-31T23:59+08:00", "0001-01-01"])
def test_times_beyond_any_plan_are_refused(text: str) -> None:
    with pytest.raises(InvalidSchedule, match="years 2000–2099"):
        parse_local_datetime(text, SHANGHAI)
