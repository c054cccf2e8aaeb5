"""The background tasks page: pending, scheduled and failed huey tasks with their arguments
(secrets redacted), retry and revoke, recent runs with results and durations, and the event
and e-mail outboxes' backlogs. Tasks run through the suite's real huey (immediate mode)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from modules.messaging.models import EmailOutbox
from modules.monitoring.services import task_service
from orion_server.database import utcnow
from orion_server.models import EventRecord
from orion_server.modules.service import module_service
from orion_server.task_queue import huey

PAGE = "/admin/monitoring/tasks"
BEHAVIOUR = {"fail": True}


@huey.task()
def bake_bread(oven: int, *, api_token: str = "", note: str = "") -> str:
    """A test task that fails while BEHAVIOUR says so."""
    if BEHAVIOUR["fail"]:
        raise RuntimeError(f"oven {oven} is cold")
    return f"bread from oven {oven}"


@pytest.fixture
def admin(client, factories, main_platform):
    BEHAVIOUR["fail"] = True
    csrf = factories.login(client, factories.admin(language="en"))
    yield csrf
    huey.storage.flush_queue()
    huey.storage.flush_schedule()


def _section(html: str, marker: str) -> str:
    return html.split(marker, 1)[1].split("</section>", 1)[0] if marker in html else ""


def test_a_failing_task_appears_as_failed_and_succeeds_after_retry(client, admin):
    bake_bread(7, api_token="s3cret-token", note="password=hunter2")
    page = client.get(PAGE)
    assert page.status_code == 200
    failed = _section(page.text, 'id="h-failed"')
    [run] = [r for r in task_service._stored_runs(huey.instance) if r.name.endswith("bake_bread") and r.can_retry]
    assert f'id="failed-{run.task_id}"' in failed
    assert "bake_bread" in failed and "RuntimeError: oven 7 is cold" in failed
    assert "(7, api_token=&#39;***&#39;" in failed or "api_token=***" in failed
    assert "s3cret-token" not in page.text and "hunter2" not in page.text

    BEHAVIOUR["fail"] = False
    refused = client.post(f"{PAGE}/{run.task_id}/retry", data={}, follow_redirects=False)
    assert refused.status_code == 403  # no CSRF token
    retried = client.post(f"{PAGE}/{run.task_id}/retry", data={"csrf_token": admin}, follow_redirects=False)
    assert retried.status_code == 303 and retried.headers["location"] == PAGE + "?done=retried"

    after = client.get(retried.headers["location"])
    assert "The task was queued again." in after.text
    assert f'id="failed-{run.task_id}"' not in after.text
    recent = _section(after.text, 'id="h-recent"')
    assert "bread from oven 7" in recent and "Done" in recent
    runs = [r for r in task_service._stored_runs(huey.instance) if r.name.endswith("bake_bread")]
    fresh = next(r for r in runs if r.task_id != run.task_id)
    assert fresh.status == "complete" and fresh.duration_ms is not None and fresh.result == "'bread from oven 7'"
    assert next(r for r in runs if r.task_id == run.task_id).retried_as == fresh.task_id

    again = client.post(f"{PAGE}/{run.task_id}/retry", data={"csrf_token": admin}, follow_redirects=False)
    assert again.status_code == 404  # retried already: no failed task with this id any more


def test_scheduled_and_pending_tasks_are_listed_and_can_be_revoked(client, admin):
    later = bake_bread.schedule(args=(3,), kwargs={"api_token": "zz-secret"}, delay=3600)
    waiting = bake_bread.s(4)
    huey.storage.enqueue(huey.serialize_task(waiting))  # as a web worker leaves it for the consumer
    page = client.get(PAGE).text
    scheduled = _section(page, 'id="h-scheduled"')
    pending = _section(page, 'id="h-pending"')
    assert f'id="task-{later.id}"' in scheduled and "zz-secret" not in page
    assert f'id="task-{waiting.id}"' in pending and "(4)" in pending

    for task_id in (later.id, waiting.id):
        done = client.post(f"{PAGE}/{task_id}/revoke", data={"csrf_token": admin}, follow_redirects=False)
        assert done.status_code == 303 and done.headers["location"] == PAGE + "?done=revoked"
        assert huey.is_revoked(task_id)
    row = client.get(PAGE).text.split(f'id="task-{waiting.id}"')[1].split("</tr>")[0]
    assert "Revoked" in row and "/revoke" not in row
    assert client.post(f"{PAGE}/no-such-task/revoke", data={"csrf_token": admin}).status_code == 404

    # the consumer skips the revoked task and the page says so
    huey.execute(huey.dequeue())
    skipped = [r for r in task_service._stored_runs(huey.instance) if r.task_id == waiting.id]
    assert [r.status for r in skipped] == ["revoked"]


def test_the_outboxes_backlogs_are_counted_with_their_oldest(client, admin, main_platform, db_session):
    old = utcnow() - timedelta(hours=3)
    for created, status in ((old, "queued"), (utcnow(), "sending"), (utcnow(), "failed"), (utcnow(), "sent")):
        db_session.add(EmailOutbox(platform_id=main_platform.id, to_address="a@example.lu", language="en",
                                   subject="Hi", body_html="<p>Hi</p>", body_text="Hi", status=status,
                                   created_at=created))
    db_session.add(EventRecord(name="OrderPaid", payload={}, created_at=old))
    db_session.add(EventRecord(name="OrderPaid", payload={}, created_at=old, failed_at=utcnow()))
    db_session.commit()
    page = client.get(PAGE).text
    email = _section(page, 'id="backlog-messaging-email_outbox"')
    events = _section(page, 'id="backlog-events"')
    assert '<p class="stat">2</p>' in email and "1 given up" in email and "Oldest waiting since" in email
    assert '<p class="stat">1</p>' in events and "1 given up" in events


def test_arguments_are_shown_with_secrets_redacted():
    shown = task_service.describe_arguments(
        (5, {"smtp_password": "pw1", "nested": {"secret_key": "k"}}, "postgresql://u:pw2@db/x"),
        {"token": "t0k", "store_id": 9})
    assert "pw1" not in shown and "pw2" not in shown and "t0k" not in shown and "'k'" not in shown
    assert "store_id=9" in shown and "5" in shown


def test_only_the_most_recent_runs_are_kept_but_failed_ones_wait_for_a_retry():
    storage = huey.storage
    before = {k for k in storage.result_items()}
    fail_task = bake_bread.s(1)
    task_service.record_run(huey.instance, fail_task, "failed", now=1.0, exception=RuntimeError("x"))
    completed = [bake_bread.s(n) for n in range(5)]
    for n, task in enumerate(completed):
        task_service.record_run(huey.instance, task, "complete", now=10.0 + n)  # older than any real run
    try:
        ours = [r for r in task_service._stored_runs(huey.instance) if r.key not in before]
        assert len(ours) == 6
        gone = task_service.prune_runs(huey.instance, keep=len(task_service._stored_runs(huey.instance)) - 4)
        assert gone == 3
        left = {r.task_id for r in task_service._stored_runs(huey.instance)}
        assert fail_task.id in left  # the oldest, but waiting for a retry
        assert {t.id for t in completed} & left == {t.id for t in completed[3:]}
    finally:
        for key in set(storage.result_items()) - before:
            storage.delete_data(key)


def test_the_tasks_page_is_for_platform_admins_only(client, factories, main_platform, db_session):
    store = factories.store(main_platform, code="bakery")
    factories.owner(client, store)
    assert client.get(PAGE).status_code == 404
    assert client.post(f"{PAGE}/x/retry", data={}).status_code in (403, 404)
    csrf = factories.login(client, factories.admin(language="en"))
    assert client.get(PAGE).status_code == 200
    module_service.disable_module(db_session, main_platform.id, "monitoring")
    db_session.commit()
    assert client.get(PAGE).status_code == 404
    assert client.post(f"{PAGE}/x/retry", data={"csrf_token": csrf}).status_code == 404
