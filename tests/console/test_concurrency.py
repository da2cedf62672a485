"""Two consoles of one agency pressing call-next at the same moment never get the same ticket."""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine, func, select

from queue_server.adapters import db

from ..support import LiveServer
from .conftest import issue, open_console

pytestmark = pytest.mark.live
ROUNDS = 12

# Press call-next at an agreed moment (both pages share this machine's clock), then wait for the
# answer; the promise is kept so the test can start both before waiting for either.
PRESS_AT = """at => { window.__press = (async () => {
    await new Promise(resolve => setTimeout(resolve, at - Date.now()));
    const pressed = performance.timeOrigin + performance.now();
    document.querySelector('button[data-action="call_next"]').click();
    await Antrean.whenIdle();
    return pressed;
})(); }"""


def desk(page: Page) -> tuple[str | None, float]:
    """The number the console shows once its call was answered (None: nobody left), and when it pressed."""
    pressed = page.evaluate("() => window.__press")
    page.wait_for_function("() => document.querySelector('#current-number') || document.querySelector('#toast.show')")
    number = page.locator("#current-number")
    return (number.inner_text() if number.count() else None), pressed


def test_two_consoles_calling_next_at_once_never_get_the_same_ticket(
        live_server: LiveServer, tokens: dict[str, str], browser: Browser, supervisors: dict[str, str],
        engine: Engine) -> None:
    pages = [open_console(browser, live_server, "petugas.dukcapil", "L01"),
             open_console(browser, live_server, "petugas2.dukcapil", "L02")]  # both serve KTP
    called: list[str] = []
    for round_no in range(ROUNDS):
        single = round_no % 4 == 3  # now and then one ticket for two counters
        for _ in range(1 if single else 2):
            issue(live_server, tokens["kiosk"])
        for page in pages:
            expect(page.locator('button[data-action="call_next"]')).to_be_enabled()
            page.evaluate("() => document.getElementById('toast').classList.remove('show')")
        at = int(time.time() * 1000) + 150
        for page in pages:
            page.evaluate(PRESS_AT, at)
        answers = [desk(page) for page in pages]
        got = [number for number, _ in answers]
        numbers = [n for n in got if n]
        assert abs(answers[0][1] - answers[1][1]) < 20, "the two presses were not simultaneous"
        assert len(numbers) == (1 if single else 2), got
        assert len(set(numbers)) == len(numbers), f"round {round_no}: both consoles got {numbers[0]}"
        called += numbers
        for page in pages:
            if page.locator("#current-number").count():
                page.keyboard.press("s")
                expect(page.locator("#current .empty")).to_be_visible()
    assert len(called) == len(set(called)) == ROUNDS * 2 - ROUNDS // 4
    with engine.connect() as conn:  # and the server's own log agrees: one call per ticket
        calls = conn.execute(select(db.ticket_event.c.ticket_id, func.count())
                             .where(db.ticket_event.c.action == "call")
                             .group_by(db.ticket_event.c.ticket_id)).all()
    assert len(calls) == len(called) and all(n == 1 for _, n in calls)
    for page in pages:
        page.context.close()
