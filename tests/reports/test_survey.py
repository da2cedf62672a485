"""The SKM survey end to end on the app: finished tickets answered once, quick ratings apart, the index.

Tickets are issued, called and finished through the real queue service; answers are posted as the
survey form posts them; the SKM page and XLSX are read back.
"""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
from flask.testing import FlaskClient

from queue_server.domain.tickets import Action
from queue_server.service_layer.queue import QueueService
from tests.support import KIOSK, officer

from .test_pages import signed_in
from .test_skm import EXAMPLES

SERVICE = "KTP"


def served_at(queue: QueueService, counter: str, service: str, n: int) -> list[str]:
    """`n` tickets of `service` called and finished at `counter` (one at a time, so each goes there)."""
    staff = officer(queue.catalog().counter(counter).agency_code)
    ids = []
    for _ in range(n):
        ticket = queue.issue(service, KIOSK).ticket
        assert queue.call_next(counter, staff).id == ticket.id  # type: ignore[union-attr]
        queue.act(counter, Action.FINISH, staff)
        ids.append(ticket.id)
    return ids


def finished(queue: QueueService, n: int) -> tuple[str, list[str]]:
    """`n` KTP tickets served and finished at the first counter serving KTP: (counter, ticket ids)."""
    counter = queue.catalog().counters_serving(SERVICE)[0].code
    return counter, served_at(queue, counter, SERVICE, n)


def answer(client: FlaskClient, ticket_id: str, scores: list[int], channel: str = "phone") -> int:
    form = {f"u{i}": str(s) for i, s in enumerate(scores, 1)} | {"comment": "Petugas ramah", "channel": channel}
    return client.post(f"/survey/t/{ticket_id}", data=form).status_code


def test_counter_tablet_shows_the_ticket_just_finished(client: FlaskClient, queue: QueueService) -> None:
    counter, ids = finished(queue, 2)
    page = client.get(f"/survey/{counter}").get_data(as_text=True)
    assert f'data-ticket="{ids[-1]}"' in page and "Persyaratan" in page and "Sangat baik" in page
    assert answer(client, ids[-1], [4] * 9, "counter") == 200
    assert 'id="idle"' in client.get(f"/survey/{counter}").get_data(as_text=True)  # answered: nothing to rate
    _, [hurried] = finished(queue, 1)
    assert f'data-ticket="{hurried}"' in client.get(f"/survey/{counter}").get_data(as_text=True)
    r = client.post(f"/survey/t/{hurried}/quick", data={"score": "3", "back": f"/survey/{counter}"})
    assert r.status_code == 200 and 'data-kind="thanks"' in r.get_data(as_text=True)
    assert 'id="idle"' in client.get(f"/survey/{counter}").get_data(as_text=True)  # one tap is enough here


def test_one_response_per_ticket_and_only_finished_tickets(client: FlaskClient, queue: QueueService) -> None:
    _, [done, other] = finished(queue, 2)
    waiting = queue.issue(SERVICE, KIOSK).ticket.id
    assert answer(client, done, [3] * 9) == 200
    assert answer(client, done, [1] * 9) == 409
    assert answer(client, waiting, [3] * 9) == 404
    assert answer(client, done.replace(done[0], "x", 1) + "zz", [3] * 9) == 404
    assert answer(client, other, [3] * 8) == 400  # all nine elements, each 1–4
    assert answer(client, other, [5] + [3] * 8) == 400
    track = client.get(f"/t/{done}").get_data(as_text=True)
    assert re.search(r'id="survey-link"(?! hidden)', track) and f"/survey/t/{done}" in track


@pytest.mark.parametrize("example", [EXAMPLES[0], EXAMPLES[3]], ids=["88,31-A", "76,60-C"])
def test_skm_report_from_answers_matches_the_hand_worked_index(client: FlaskClient, queue: QueueService,
                                                              example: tuple) -> None:  # type: ignore[type-arg]
    answers, _, _, ikm, letter, name = example
    _, ids = finished(queue, len(answers) + 3)
    for ticket_id, scores in zip(ids, answers, strict=False):
        assert answer(client, ticket_id, scores) == 200
    for ticket_id, score in zip(ids[len(answers):], (1, 1, 3), strict=True):  # quick ratings: never in the index
        assert client.post(f"/survey/t/{ticket_id}/quick", data={"score": str(score)}).status_code == 302
    assert client.post(f"/survey/t/{ids[-1]}/quick", data={"score": "3"}).status_code == 409
    signed_in(client, "admin")
    page = client.get("/reports/skm?from=2026-11-23&to=2026-11-23&by=service").get_data(as_text=True)
    shown = ikm.replace(".", ",")
    assert re.search(rf'id="skm-ikm">{shown}<', page)
    assert re.search(rf'id="skm-category">{letter} · {name}', page)
    assert re.search(rf'id="skm-respondents">{len(answers)}<', page)
    assert "Petugas ramah" in page  # the comments, newest first
    assert "@media print" in client.get("/console/static/reports.css").get_data(as_text=True)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/skm.xlsx?from=2026-11-23&to=2026-11-23&by=service").data))
    total = list(book.active.iter_rows(values_only=True))[-1]
    assert total[0] == "Jumlah / Total" and total[1] == len(answers)
    assert total[-2] == float(ikm) and total[-1].startswith(letter)
