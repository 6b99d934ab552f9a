"""The webhook server in process: registration, secret check, de-duplication, readiness, draining."""

from __future__ import annotations

import aiohttp
import pytest
from sqlalchemy.exc import OperationalError

from tests.runtime.conftest import WebhookHarness
from tests.runtime.procs import SECRET, post_update, replies_to, text_update


async def test_registers_the_webhook_with_secret_allowed_updates_and_max_connections(hooked: WebhookHarness) -> None:
    call = hooked.emu.calls("setWebhook")[-1]
    assert call.params["url"] == hooked.hook_url
    assert call.params["secret_token"] == SECRET
    assert call.params["allowed_updates"] == ["message", "callback_query", "my_chat_member"]
    assert call.params["max_connections"] == 40
    assert hooked.emu.hub.webhook is not None


async def test_an_update_pushed_by_telegram_is_answered(hooked: WebhookHarness) -> None:
    user = hooked.emu.user(11, "Ann", language_code="en")
    await user.send("/start")  # the emulator POSTs it to the webhook, as Telegram does
    await hooked.emu.wait_for_request("sendMessage")
    assert "Safe migration guide" in (user.last_message.text or "")
    hooked.emu.assert_clean()


@pytest.mark.parametrize("secret", [None, "", "wrong", SECRET[:-1], SECRET + "x", SECRET.upper()])
async def test_a_request_without_the_right_secret_is_refused_and_not_claimed(
    hooked: WebhookHarness, secret: str | None
) -> None:
    hooked.emu.user(12, "Bo")
    update = text_update(hooked.emu, 9001, 12, "/start")
    async with aiohttp.ClientSession() as session:
        assert await post_update(session, hooked.hook_url, update, secret=secret) == 403
    assert await hooked.services.storage.claim_update(9001), "a refused update must not be claimed"
    assert replies_to(hooked.emu, 12) == []


async def test_a_repeated_update_id_is_processed_once(hooked: WebhookHarness) -> None:
    hooked.emu.user(13, "Cy")
    update = text_update(hooked.emu, 9100, 13, "/help")
    async with aiohttp.ClientSession() as session:
        statuses = [await post_update(session, hooked.hook_url, update) for _ in range(3)]
        assert statuses == [200, 200, 200]  # Telegram must not retry a duplicate
        assert hooked.server.duplicates == 2  # dropped before reaching the queue
        assert await post_update(session, hooked.hook_url, text_update(hooked.emu, 9101, 13, "/start")) == 200
    await hooked.emu.wait_for_request("sendMessage", count=2)
    assert len(replies_to(hooked.emu, 13)) == 2  # one /help answer, one /start answer


async def test_healthz_reports_the_content_version_and_the_database(hooked: WebhookHarness) -> None:
    async with aiohttp.ClientSession() as session, session.get(hooked.health_url) as response:
        assert response.status == 200
        body = await response.json()
    assert body == {"status": "ok", "version": hooked.services.live.current.content.version, "db": True}


async def test_healthz_is_503_when_the_database_does_not_answer(
    hooked: WebhookHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def down() -> bool:
        return False

    monkeypatch.setattr(hooked.services.storage, "ping", down)
    async with aiohttp.ClientSession() as session, session.get(hooked.health_url) as response:
        assert response.status == 503
        body = await response.json()
    assert body["db"] is False and body["status"] == "unavailable"


async def test_an_update_that_cannot_be_claimed_gets_503_so_telegram_retries(
    hooked: WebhookHarness, monkeypatch: pytest.MonkeyPatch
) -> None:
    hooked.emu.user(14, "Di")
    update = text_update(hooked.emu, 9200, 14, "/help")
    inbox = hooked.server.delivery.inbox
    accept = inbox.accept

    async def broken(update_id: int, payload: object) -> bool:
        raise OperationalError("INSERT", {}, ConnectionRefusedError())

    monkeypatch.setattr(inbox, "accept", broken)
    async with aiohttp.ClientSession() as session:
        assert await post_update(session, hooked.hook_url, update) == 503
        monkeypatch.setattr(inbox, "accept", accept)
        assert await post_update(session, hooked.hook_url, update) == 200  # Telegram's retry
    await hooked.emu.wait_for_request("sendMessage")
    assert len(replies_to(hooked.emu, 14)) == 1


async def test_a_body_that_is_not_an_update_is_refused(hooked: WebhookHarness) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
    async with aiohttp.ClientSession() as session:
        for body in (b"not json", b"[]", b'{"message": {}}', b'{"update_id": "7"}'):
            async with session.post(hooked.hook_url, data=body, headers=headers) as response:
                assert response.status == 400, body


async def test_while_draining_new_updates_get_503_and_healthz_says_stopping(hooked: WebhookHarness) -> None:
    hooked.emu.user(15, "Ed")
    await hooked.server.drain()
    async with aiohttp.ClientSession() as session:
        assert await post_update(session, hooked.hook_url, text_update(hooked.emu, 9300, 15, "/start")) == 503
        async with session.get(hooked.health_url) as response:
            assert response.status == 503
            assert (await response.json())["status"] == "stopping"
    assert await hooked.services.storage.claim_update(9300), "a refused update must stay unclaimed"
