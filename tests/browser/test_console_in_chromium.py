"""The console in a real Chromium against the real stack (every service its own process):
a clerk files at the window (fixing one field the API refused), prints the receipt and makes a
补正通知书 on the complaint's page, the worker follows the case on the status page, a mediator
accepts it from the queue, schedules a session, records the failure and transfers it, the
wage-arrears desk works the alert that a collective complaint raised, issues an order to pay for
the employer of the criminal-referral alert, records its posted service after the limit (so it
is marked 逾期未支付), closes the blacklist alert that follows and records the incident the
arrears caused, and an arbitrator accepts the transferred case from the docket, forms a sole
tribunal, schedules the hearing (after the 5-day notice rule refused a date too close), issues
an award split into final and non-final items and records its service.
Screenshots of each screen go to test-artifacts/browser/<backend>/."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from labornet_common.testing.stack import running_stack

pytestmark = [pytest.mark.browser, pytest.mark.slow]


async def _sign_in(page, base: str, username: str, password: str) -> None:
    await page.goto(f"{base}/console/login")
    await page.fill("input[name=username]", username)
    await page.fill("input[name=password]", password)
    await page.click("main button[type=submit]")


async def _file_at_the_window(page, base: str, shot) -> tuple[str, str]:
    await page.goto(f"{base}/console/clerk/complaints/new")
    assert page.url.startswith(f"{base}/console/login?next=")  # not signed in yet
    await shot(page, "01-sign-in")
    await page.fill("input[name=username]", "clerk.luoyang")
    await page.fill("input[name=password]", "clerk-demo-4103")
    await page.click("main button[type=submit]")
    await page.wait_for_url(f"{base}/console/clerk/complaints/new")

    await page.fill("input[name=workplace_division]", "4103")  # a city, not a workplace's district
    await page.fill("input[name=worker_name]", "王师傅")
    await page.fill("input[name=worker_phone]", "13812341234")
    await page.fill("input[name=employer_name]", "洛阳某建筑工程有限公司")
    await page.fill("textarea[name=facts]", "2026年8月至10月工资未发放")
    await page.fill("input[name='claims.0.amount']", "18600")
    await page.click("main button[type=submit]")
    error = page.locator("[data-field=workplace_division]")
    assert await error.inner_text() == "格式不正确"
    await shot(page, "02-filing-inline-error")

    await page.fill("input[name=workplace_division]", "410311")
    await page.click("main button[type=submit]")
    tracking = await page.locator("[data-testid=tracking-number]").inner_text()
    code = await page.locator("[data-testid=access-code]").inner_text()
    assert tracking.startswith("410311-") and len(code) >= 6
    assert "18,600.00 元" in await page.locator(".receipt").inner_text()
    await shot(page, "03-receipt")
    await page.emulate_media(media="print")
    assert not await page.locator("header.topbar").is_visible()  # the printed receipt is the document alone
    await shot(page, "04-receipt-print")
    await page.emulate_media(media="screen")
    return tracking, code


async def _file_collective(page) -> str:
    """Thirty workers of one project: the wage-arrears desk should be warned (LDA Art. 7)."""
    await page.click("text=登记下一件投诉")
    await page.fill("input[name=workplace_division]", "410311")
    await page.fill("input[name=worker_name]", "赵师傅等30人")
    await page.fill("input[name=worker_count]", "30")
    await page.fill("input[name=employer_name]", "洛阳某劳务分包有限公司")
    await page.fill("input[name=project]", "洛阳某安置房项目")
    await page.fill("input[name='claims.0.amount']", "600000")
    await page.click("main button[type=submit]")
    return await page.locator("[data-testid=tracking-number]").inner_text()


async def _correction_notice(page, shot) -> None:
    """From the receipt to the complaint's page: the clerk's 补正通知书 is listed with its PDF."""
    await page.click("[data-testid=complaint-link]")
    due = (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=7)).isoformat()
    await page.fill("form[data-action=correction-notice] textarea[name=missing]", "劳动合同\n工资发放记录")
    await page.fill("form[data-action=correction-notice] input[name=due_on]", due)
    await page.click("form[data-action=correction-notice] button")
    row = page.locator("[data-testid=document][data-kind=correction_notice]")
    assert "补正通知书" in await row.inner_text() and await row.locator("a[href$='.pdf']").count() == 1
    await shot(page, "04b-correction-notice")


async def _worker_status(browser, base: str, shot, tracking: str, code: str) -> None:
    context = await browser.new_context(locale="zh-CN")
    page = await context.new_page()
    await page.goto(f"{base}/console/status")
    await page.fill("input[name=tracking_number]", tracking)
    await page.fill("input[name=access_code]", code)
    await page.click("main button[type=submit]")
    assert await page.locator("[data-testid=tracking-number]").inner_text() == tracking
    assert await page.locator("[data-testid=timeline] li").count() >= 1
    await shot(page, "05-worker-status")
    await context.close()


async def _row_in_queue(page, base: str, tracking: str):
    """The routed complaint reaches mediation through Kafka: reload the queue until it shows."""
    row = page.locator("[data-testid=queue] tr", has_text=tracking)
    for _ in range(100):
        await page.goto(f"{base}/console/mediation")
        if await row.count():
            return row
        await page.wait_for_timeout(200)
    raise AssertionError(f"{tracking} never reached the mediation queue")


async def _mediate_and_fail(page, base: str, shot, tracking: str) -> None:
    await page.context.clear_cookies()
    await _sign_in(page, base, "mediator.luolong", "mediator-demo-410311")  # 洛龙区's centre has the case
    row = await _row_in_queue(page, base, tracking)
    assert "待受理" in await row.inner_text()
    await shot(page, "06-mediation-queue")
    await row.locator("a").first.click()
    await page.click("form[data-action=accept] button")
    assert await page.locator("[data-testid=done]").inner_text() == "已受理本案。"
    await page.fill("form[data-action=sessions] input[name=starts_at]", "2026-12-01T09:30")
    await page.fill("form[data-action=sessions] input[name=place]", "洛龙区调解中心第一调解室")
    await page.click("form[data-action=sessions] button")
    assert await page.locator("[data-testid=case-status]").inner_text() == "调解中"
    await shot(page, "07-mediation-case")
    await page.select_option("form[data-action=failure] select[name=reason]", "no_agreement")
    await page.fill("form[data-action=failure] textarea[name=note]", "用人单位不同意支付")
    await page.click("form[data-action=failure] button")
    assert await page.locator("[data-testid=case-status]").inner_text() == "调解不成"
    await page.click("form[data-action=transfer] button")
    assert await page.locator("[data-testid=done]").inner_text() == "已转交仲裁。"
    assert await page.locator("[data-testid=transfer]").count() == 1
    await shot(page, "08-mediation-failed-transferred")


async def _alert_card(page, base: str, summary: str):
    """The alert reaches the desk through Kafka (intake → wage-arrears): reload until it shows."""
    found = page.locator("article[data-alert-id]", has_text=summary)
    for _ in range(100):
        await page.goto(f"{base}/console/alerts")
        if await found.count():
            alert_id = await found.first.get_attribute("data-alert-id")
            return page.locator(f"article[data-alert-id='{alert_id}']")
        await page.wait_for_timeout(200)
    raise AssertionError(f"no wage-arrears alert saying {summary}")


async def _work_the_alert(page, base: str, shot) -> None:
    await page.context.clear_cookies()
    await _sign_in(page, base, "inspector.luoyang", "inspector-demo-4103")
    card = await _alert_card(page, base, "集体欠薪：30名劳动者")
    await shot(page, "09-alert-board")
    await card.locator("form[data-action=acknowledge] button").click()
    assert await page.locator("[data-testid=done]").inner_text() == "已签收预警。"
    await card.locator("form[data-action=dispatch] select[name=to]").select_option("inspection_brigade")
    await card.locator("form[data-action=dispatch] button").click()
    assert await card.locator("[data-testid=alert-state]").inner_text() == "已派发"
    await card.locator("form[data-action=resolve] input[name=reason]").fill("工资已足额支付")
    await card.locator("form[data-action=resolve] button").click()
    assert await page.locator("[data-testid=done]").inner_text() == "已办结预警。"
    assert await card.count() == 0  # resolved alerts leave the board
    await shot(page, "10-alert-resolved")


async def _order_unpaid_past_its_limit(page, base: str, shot) -> None:
    """An order to pay issued from the alert's card, served by posting it at the site after its
    limit ran out: the order is 逾期未支付, and the desk's rules see it (人社部令第45号 Art. 5)."""
    card = await _alert_card(page, base, "拒不支付劳动报酬罪立案标准")
    assert "尚无逾期未付的责令支付文书" in await card.inner_text()
    referral_id = await card.get_attribute("data-alert-id")
    await card.locator("[data-testid=issue-order]").click()
    issue = page.locator("form[data-action=issue]")
    assert await issue.locator("input[name=employer_name]").input_value() == "洛阳某劳务分包有限公司"
    assert await issue.locator("select[name=region_code]").input_value() == "410311"
    assert await issue.locator("textarea[name=case_ids]").input_value() != ""  # the alert's cases
    assert await issue.locator("input[name=amount]").input_value() == "600000.00"  # the alert's figure, in yuan
    number = "洛龙人社监令〔2026〕88号"
    await issue.locator("input[name=document_number]").fill(number)
    await issue.locator("input[name=issued_on]").fill(_beijing_day(-10))
    await issue.locator("input[name=due_on]").fill(_beijing_day(-3))
    await issue.locator("button[type=submit]").click()
    assert (await page.locator("[data-testid=done]").inner_text()).startswith("已登记责令支付文书。")
    order = page.locator("article[data-order-id]", has_text=number)
    assert "待送达" in await order.inner_text()

    service = order.locator("form[data-action=service]")
    await service.locator("input[name=served_on]").fill(_beijing_day(-11))  # before the order was issued
    await service.locator("select[name=method]").select_option("posted")
    await service.locator("button").click()
    assert await order.locator("[data-field=served_on]").inner_text() == "送达日期早于文书签发日期"
    await order.locator("form[data-action=service] input[name=served_on]").fill(_beijing_day(-1))
    await order.locator("form[data-action=service] button").click()
    assert await page.locator("[data-testid=done]").inner_text() == "已登记送达。"
    assert await order.locator("[data-testid=order-lapsed]").inner_text() == "逾期未支付"
    assert "张贴公告（视为送达）" in await order.locator("[data-testid=order-served]").inner_text()
    await shot(page, "10a-order-lapsed")

    await page.click("header nav.desks a[href='/console/alerts']")
    listing = await _alert_card(page, base, "失信联合惩戒名单列入情形")
    referral = page.locator(f"article[data-alert-id='{referral_id}']")
    assert "已责令限期支付、逾期未支付" in await referral.inner_text()
    await listing.locator("form[data-action=close] button").click()  # a close needs its reason
    assert await listing.locator("[data-testid=alert-error]").inner_text() == "必填项不能为空"
    await listing.locator("form[data-action=close] input[name=reason]").fill("已启动失信名单列入程序，另行办理")
    await listing.locator("form[data-action=close] button").click()
    assert await page.locator("[data-testid=done]").inner_text() == "已关闭预警。"
    assert await listing.count() == 0  # closed alerts leave the board
    await shot(page, "10b-alert-closed")

    await referral.locator("[data-testid=record-incident]").click()
    form = page.locator("form[data-action=incident]")
    assert await form.locator("input[name=employer_name]").input_value() == "洛阳某劳务分包有限公司"
    await form.locator("select[name=kind]").select_option("mass")
    await form.locator("input[name=occurred_on]").fill(_beijing_day(-2))
    await form.locator("input[name=serious_impact]").check()
    await form.locator("textarea[name=description]").fill("三十名劳动者在项目部聚集讨薪")
    await form.locator("button[type=submit]").click()
    assert await page.locator("[data-testid=done]").inner_text() == "已登记欠薪事件。"
    row = page.locator("[data-testid=incidents] tr[data-incident-id]", has_text="洛阳某劳务分包有限公司")
    assert "造成严重不良社会影响" in await row.inner_text()
    await shot(page, "10c-incident")


def _beijing_day(days: int = 0) -> str:
    return (datetime.now(ZoneInfo("Asia/Shanghai")).date() + timedelta(days=days)).isoformat()


async def _docket_row(page, base: str, employer: str):
    """The transfer reaches arbitration through Kafka (mediation → arbitration): reload until it shows."""
    row = page.locator("[data-testid=docket] tr", has_text=employer)
    for _ in range(100):
        await page.goto(f"{base}/console/arbitration")
        if await row.count():
            return row
        await page.wait_for_timeout(200)
    raise AssertionError(f"the transfer of {employer} never reached the arbitration docket")


async def _arbitrate(page, base: str, shot) -> None:
    await page.context.clear_cookies()
    await _sign_in(page, base, "arbitrator.luoyang", "arbitrator-demo-4103")
    await page.wait_for_url(f"{base}/console/arbitration")  # the arbitrator's one desk
    row = await _docket_row(page, base, "洛阳某建筑工程有限公司")
    assert "调解转入" in await row.inner_text() and "待决定受理" in await row.inner_text()
    await shot(page, "11-arbitration-docket")
    await row.locator("a").first.click()
    await page.click("form[data-action=accept] button")
    assert await page.locator("[data-testid=done]").inner_text() == "已决定受理并立案。"
    number = await page.locator("[data-testid=case-number]").inner_text()
    assert re.fullmatch(rf"洛劳人仲案字〔{_beijing_day()[:4]}〕第\d+号", number), number
    await shot(page, "12-arbitration-accepted")
    await page.check("form[data-action=tribunal] input[name=mode][value=sole]")
    await page.select_option("form[data-action=tribunal] select[name=sole]", "arbr-4103-01")
    await page.click("form[data-action=tribunal] button")
    assert "独任仲裁员：李仲明" in await page.locator("[data-testid=tribunal]").inner_text()
    await page.click("form[data-action=service] button")  # the respondent received the copy today
    assert await page.locator("[data-testid=done]").inner_text() == "已记录副本送达。"
    await _schedule_hearing(page, shot)
    await _award(page, shot)


async def _schedule_hearing(page, shot) -> None:
    hearing = "form[data-action=hearings]"
    await page.fill(f"{hearing} input[name=hearing_on]", _beijing_day(3))  # notice today: too late (LDA Art. 35)
    await page.fill(f"{hearing} input[name=venue]", "洛阳市劳动人事争议仲裁院第一仲裁庭")
    await page.click(f"{hearing} button")
    assert "开庭五日前送达" in await page.locator(f"{hearing} [data-field=hearing_on]").inner_text()
    await shot(page, "13-hearing-notice-refused")
    await page.fill(f"{hearing} input[name=hearing_on]", _beijing_day(20))
    await page.click(f"{hearing} button")
    assert await page.locator("[data-testid=done]").inner_text() == "已排期开庭。"


async def _award(page, shot) -> None:
    award = "form[data-action=award]"
    assert await page.input_value(f"{award} input[name='items.0.amount']") == "18600.00"  # the claim, in yuan
    await page.select_option(f"{award} select[name='items.1.category']", "economic_compensation")
    await page.fill(f"{award} input[name='items.1.amount']", "40000")
    await page.click(f"{award} button")
    assert await page.locator("[data-testid=done]").inner_text() == "已作出裁决。"
    # LDA Art. 47, per item: 18,600 yuan is within 12 months' minimum wage, 40,000 is not
    assert await page.locator("[data-testid=award-item-final]").all_inner_texts() == ["终局", "非终局"]
    await shot(page, "14-award")
    await page.click("form[data-action=award-service] button")
    assert await page.locator("[data-testid=done]").inner_text() == "已记录裁决书送达。"
    assert "起诉期至" in await page.locator("[data-testid=award-served]").inner_text()
    await shot(page, "15-award-served")


async def test_the_console_end_to_end(db_backend: str, broker: str, tmp_path: Path, chromium, screenshots) -> None:
    async with running_stack(backend=db_backend, broker=broker, workdir=tmp_path) as stack:
        context = await chromium.new_context(locale="zh-CN", viewport={"width": 1280, "height": 900})
        context.set_default_timeout(15_000)
        page = await context.new_page()
        try:
            tracking, code = await _file_at_the_window(page, stack.gateway, screenshots)
            await _file_collective(page)
            await _correction_notice(page, screenshots)
            await _worker_status(chromium, stack.gateway, screenshots, tracking, code)
            await _mediate_and_fail(page, stack.gateway, screenshots, tracking)
            await _work_the_alert(page, stack.gateway, screenshots)
            await _order_unpaid_past_its_limit(page, stack.gateway, screenshots)
            await _arbitrate(page, stack.gateway, screenshots)
        except Exception:
            await screenshots(page, "failure")  # the screen as it was, next to the others
            raise
        finally:
            await context.close()
