"""The control API over HTTP (JSON under /control/...) and the static chat page, for tests and the preview."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

from aiohttp import web

from .errors import ApiError, EmulatorError, UnknownMessageError
from .faults import fault_from_json
from .groups import SimulatedGroup, change_bot_status, post_to_group
from .user import press_button, press_reply_button, send_media, send_text, share_location

if TYPE_CHECKING:
    from .emulator import Emulator

Route = Callable[[web.Request], Awaitable[web.StreamResponse]]
MAX_WAIT = 30.0
PHOTO_MAX_BYTES = 10 * 1024 * 1024  # Telegram's limit for a photo


def _fail(status: int, message: str) -> web.Response:
    return web.json_response({"ok": False, "error": message}, status=status)


def _guard(route: Route) -> Route:
    """Turn control errors and bad input into clear 4xx JSON answers."""

    async def wrapped(request: web.Request) -> web.StreamResponse:
        try:
            return await route(request)
        except EmulatorError as exc:
            return _fail(exc.status, str(exc))
        except (KeyError, ValueError, TypeError) as exc:
            return _fail(400, f"bad control request: {exc}")

    return wrapped


async def _json(request: web.Request) -> dict[str, Any]:
    if not request.can_read_body:
        return {}
    try:
        body = json.loads(await request.read())
    except ValueError:
        raise ValueError("body is not JSON") from None
    if not isinstance(body, dict):
        raise ValueError("body must be a JSON object")
    return body


def _user_id(request: web.Request) -> int:
    try:
        return int(request.match_info["user_id"])
    except ValueError:
        raise ValueError("user id must be an integer") from None


def _group_id(request: web.Request) -> int:
    try:
        return int(request.match_info["group_id"])
    except ValueError:
        raise ValueError("group id must be an integer") from None


def _optional_int(value: Any, key: str) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f'"{key}" must be an integer')
    try:
        return int(value)
    except ValueError:
        raise ValueError(f'"{key}" must be an integer') from None


async def _photo_form(request: web.Request) -> tuple[bytes, dict[str, str]]:
    """A photo posted as multipart/form-data (the page's file input): its bytes and the form's text fields."""
    if not request.content_type.startswith("multipart/"):
        raise ValueError('send the photo as multipart/form-data with a "photo" file field')
    form = await request.post()
    photo = form.get("photo")
    if not isinstance(photo, web.FileField):
        raise ValueError('"photo" must be a file')
    if not photo.content_type.startswith("image/"):
        raise ValueError(f"a photo is an image, not {photo.content_type}")
    data = photo.file.read(PHOTO_MAX_BYTES + 1)
    if not data:
        raise ValueError("the photo is empty")
    if len(data) > PHOTO_MAX_BYTES:
        raise ValueError("a photo has at most 10 MB")
    return data, {key: value for key, value in form.items() if isinstance(value, str)}


def _number(body: dict[str, Any], key: str) -> float:
    value = body.get(key)
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise ValueError(f'"{key}" must be a number')
    return float(value)


def add_control_routes(app: web.Application, emulator: Emulator) -> None:
    """Register /control/... and the chat page on `app`."""
    from .emulator import STATIC_DIR

    world = emulator.world

    def chat_view(user_id: int) -> dict[str, Any]:
        user = world.require_user(user_id)
        messages = sorted(world.chats[user_id].values(), key=lambda m: m.message_id)
        return {
            "version": world.version,
            "user": {
                "id": user.id,
                "first_name": user.first_name,
                "language_code": user.language_code,
                "blocked": user.blocked,
            },
            "messages": [m.view() for m in messages],
            "reply_keyboard": reply_keyboard_view(user_id),
            "callback_answers": [a.view() for a in world.answers if a.user_id == user_id],
            "notice": world.notice,
        }

    def reply_keyboard_view(user_id: int) -> dict[str, Any] | None:
        keyboard = world.reply_keyboards.get(user_id)
        return None if keyboard is None else keyboard.view()

    def clock_view() -> dict[str, Any]:
        return {"now": world.now(), "offset": emulator.clock.offset}

    async def config(request: web.Request) -> web.StreamResponse:
        return web.json_response(
            {
                "languages": emulator.languages,
                "bot_name": emulator.bot_name,
                "bot_username": emulator.bot_user["username"],
            }
        )

    async def put_user(request: web.Request) -> web.StreamResponse:
        body = await _json(request)
        user_id = int(body["id"]) if "id" in body else _user_id(request)
        emulator.user(
            user_id,
            body.get("first_name"),
            language_code=body.get("language_code"),
            username=body.get("username"),
            blocked=body.get("blocked"),
        )
        return web.json_response(chat_view(user_id)["user"])

    async def get_user(request: web.Request) -> web.StreamResponse:
        return web.json_response(chat_view(_user_id(request))["user"])

    async def send(request: web.Request) -> web.StreamResponse:
        body = await _json(request)
        text = body.get("text")
        if not isinstance(text, str):
            raise ValueError('"text" must be a string')
        update = await send_text(emulator, _user_id(request), text)
        return web.json_response({"ok": True, "update_id": update["update_id"]})

    async def start(request: web.Request) -> web.StreamResponse:
        payload = (await _json(request)).get("payload") or ""
        update = await send_text(emulator, _user_id(request), f"/start {payload}" if payload else "/start")
        return web.json_response({"ok": True, "update_id": update["update_id"]})

    async def press(request: web.Request) -> web.StreamResponse:
        body = await _json(request)
        message_id = body.get("message_id")
        update = await press_button(
            emulator, _user_id(request), str(body["text"]), int(message_id) if message_id is not None else None
        )
        return web.json_response({"ok": True, "update_id": update["update_id"]})

    async def photo(request: web.Request) -> web.StreamResponse:
        data, fields = await _photo_form(request)
        update = await send_media(emulator, _user_id(request), "photo", data, fields.get("caption") or None)
        return web.json_response({"ok": True, "update_id": update["update_id"]})

    async def file(request: web.Request) -> web.StreamResponse:
        try:
            stored = world.files.get(request.match_info["file_id"])
        except ApiError:
            raise UnknownMessageError("no file with this file_id") from None
        if stored.data is None:
            raise UnknownMessageError("this file is a URL reference: the emulator never had its bytes")
        # A file_id names its bytes for good (it is derived from them), so the page may keep the picture.
        return web.Response(
            body=stored.data,
            content_type=stored.media.mime_type or "application/octet-stream",
            headers={"Cache-Control": "private, max-age=86400, immutable"},
        )

    async def location(request: web.Request) -> web.StreamResponse:
        body = await _json(request)
        accuracy = body.get("horizontal_accuracy")
        update = await share_location(
            emulator,
            _user_id(request),
            _number(body, "latitude"),
            _number(body, "longitude"),
            None if accuracy is None else _number(body, "horizontal_accuracy"),
        )
        return web.json_response({"ok": True, "update_id": update["update_id"]})

    async def reply_keyboard(request: web.Request) -> web.StreamResponse:
        user_id = _user_id(request)
        world.require_user(user_id)
        return web.json_response(reply_keyboard_view(user_id))

    async def press_reply(request: web.Request) -> web.StreamResponse:
        body = await _json(request)
        text = body.get("text")
        if not isinstance(text, str):
            raise ValueError('"text" must be a string')
        update = await press_reply_button(emulator, _user_id(request), text)
        return web.json_response({"ok": True, "update_id": update["update_id"]})

    async def get_clock(request: web.Request) -> web.StreamResponse:
        return web.json_response(clock_view())

    async def advance_clock(request: web.Request) -> web.StreamResponse:
        emulator.advance_clock(_number(await _json(request), "advance"))
        return web.json_response(clock_view())

    async def chat(request: web.Request) -> web.StreamResponse:
        user_id = _user_id(request)
        world.require_user(user_id)
        after = request.query.get("after")
        if after is not None:
            await world.wait_for_change(int(after), min(float(request.query.get("wait", "25")), MAX_WAIT))
        return web.json_response(chat_view(user_id))

    async def reset(request: web.Request) -> web.StreamResponse:
        user_id = _user_id(request)
        world.require_user(user_id)
        world.reset_chat(user_id)
        return web.json_response({"ok": True})

    async def requests(request: web.Request) -> web.StreamResponse:
        return web.json_response(
            [
                {
                    "method": r.method,
                    "ok": r.ok,
                    "error_code": r.error_code,
                    "description": r.description,
                    "injected": r.injected,
                    "params": r.params,
                }
                for r in emulator.requests
            ],
            dumps=lambda o: json.dumps(o, default=str),
        )

    async def add_fault(request: web.Request) -> web.StreamResponse:
        emulator.faults.add(fault_from_json(await _json(request)))
        return web.json_response({"ok": True, "active": len(emulator.faults.active)})

    async def clear_faults(request: web.Request) -> web.StreamResponse:
        emulator.faults.clear()
        return web.json_response({"ok": True})

    def group_view(group_id: int) -> dict[str, Any]:
        group = world.require_group(group_id)
        members = world.members[group_id]
        counts: dict[int, int] = {}
        for message in world.chats[group_id].values():
            if message.thread_id is not None:
                counts[message.thread_id] = counts.get(message.thread_id, 0) + 1
        return {
            "id": group.id,
            "title": group.title,
            "is_forum": group.is_forum,
            "bot_status": group.bot_status,
            "bot_can_manage_topics": group.bot_can_manage_topics,
            "members": [
                {"id": user_id, "first_name": world.users[user_id].first_name, "status": status}
                for user_id, status in sorted(members.items())
            ],
            "topics": [
                {**topic.view(), "messages": counts.get(topic.thread_id, 0)}
                for topic in SimulatedGroup(emulator, group_id).topics
            ],
        }

    def group_message_view(group_id: int, thread_id: int | None) -> list[dict[str, Any]]:
        if thread_id is not None and thread_id not in world.topics[group_id]:
            raise UnknownMessageError(f"group {group_id} has no topic {thread_id}")
        group = SimulatedGroup(emulator, group_id)
        messages = group.messages if thread_id is None else group.thread(thread_id)
        views = []
        for message in messages:
            sender = world.users.get(message.sender_id) if message.sender_id is not None else None
            name = emulator.bot_name if message.from_bot else (sender.first_name if sender else None)
            views.append({**message.view(), "sender_name": name})
        return views

    async def list_groups(request: web.Request) -> web.StreamResponse:
        return web.json_response([group_view(group_id) for group_id in sorted(world.groups)])

    async def put_group(request: web.Request) -> web.StreamResponse:
        body = await _json(request)
        group_id = _optional_int(body.get("id"), "id")
        if group_id is None:
            raise ValueError('"id" is required (a negative supergroup id)')
        forum = body.get("forum")
        can_manage = body.get("can_manage_topics")
        emulator.group(
            group_id,
            body.get("title"),
            forum=None if forum is None else bool(forum),
            bot_status=body.get("bot_status"),
            can_manage_topics=None if can_manage is None else bool(can_manage),
        )
        return web.json_response(group_view(group_id))

    async def get_group(request: web.Request) -> web.StreamResponse:
        return web.json_response(group_view(_group_id(request)))

    async def group_topics(request: web.Request) -> web.StreamResponse:
        return web.json_response(group_view(_group_id(request))["topics"])

    async def group_messages(request: web.Request) -> web.StreamResponse:
        group_id = _group_id(request)
        world.require_group(group_id)
        thread_id = _optional_int(request.query.get("thread_id"), "thread_id")
        after = request.query.get("after")
        if after is not None:
            await world.wait_for_change(int(after), min(float(request.query.get("wait", "25")), MAX_WAIT))
        return web.json_response(
            {
                "version": world.version,
                "group": group_view(group_id),
                "thread_id": thread_id,
                "messages": group_message_view(group_id, thread_id),
            }
        )

    async def group_post(request: web.Request) -> web.StreamResponse:
        group_id = _group_id(request)
        body = await _json(request)
        text = body.get("text")
        if not isinstance(text, str) or not text.strip():
            raise ValueError('"text" must be a non-empty string')
        user_id = _optional_int(body.get("user_id"), "user_id")
        if user_id is None:
            raise ValueError('"user_id" is required (the member who writes)')
        thread_id = _optional_int(body.get("thread_id"), "thread_id")
        update = await post_to_group(emulator, group_id, user_id, thread_id, text=text)
        return web.json_response({"ok": True, "update_id": None if update is None else update["update_id"]})

    async def group_photo(request: web.Request) -> web.StreamResponse:
        group_id = _group_id(request)
        data, fields = await _photo_form(request)
        user_id = _optional_int(fields.get("user_id"), "user_id")
        if user_id is None:
            raise ValueError('"user_id" is required (the member who sends the photo)')
        thread_id = _optional_int(fields.get("thread_id"), "thread_id")
        caption = fields.get("caption") or None
        update = await post_to_group(emulator, group_id, user_id, thread_id, media=("photo", data), caption=caption)
        return web.json_response({"ok": True, "update_id": None if update is None else update["update_id"]})

    async def group_member(request: web.Request) -> web.StreamResponse:
        group_id = _group_id(request)
        world.require_group(group_id)
        body = await _json(request)
        user_id = _optional_int(body.get("id"), "id")
        if user_id is None:
            raise ValueError('"id" is required (the member\'s user id)')
        SimulatedGroup(emulator, group_id).add_member(
            user_id, body.get("first_name"), status=str(body.get("status", "member"))
        )
        return web.json_response(group_view(group_id))

    async def group_bot(request: web.Request) -> web.StreamResponse:
        group_id = _group_id(request)
        body = await _json(request)
        by = _optional_int(body.get("by"), "by")
        if by is None:
            raise ValueError('"by" is required (the administrator who changes the bot\'s status)')
        can_manage = body.get("can_manage_topics", True)
        update = await change_bot_status(emulator, group_id, str(body["status"]), by, bool(can_manage))
        return web.json_response({"ok": True, "update_id": update["update_id"], "group": group_view(group_id)})

    async def page(request: web.Request) -> web.StreamResponse:
        return web.FileResponse(STATIC_DIR / "chat.html")

    routes: list[tuple[str, str, Route]] = [
        ("GET", "/control/config", config),
        ("POST", "/control/users", put_user),
        ("GET", "/control/users/{user_id}", get_user),
        ("POST", "/control/users/{user_id}/messages", send),
        ("POST", "/control/users/{user_id}/start", start),
        ("POST", "/control/users/{user_id}/press", press),
        ("POST", "/control/users/{user_id}/photo", photo),
        ("POST", "/control/users/{user_id}/location", location),
        ("GET", "/control/users/{user_id}/reply_keyboard", reply_keyboard),
        ("POST", "/control/users/{user_id}/reply_keyboard/press", press_reply),
        ("GET", "/control/users/{user_id}/chat", chat),
        ("POST", "/control/users/{user_id}/reset", reset),
        ("GET", "/control/files/{file_id}", file),
        ("GET", "/control/requests", requests),
        ("GET", "/control/clock", get_clock),
        ("POST", "/control/clock", advance_clock),
        ("POST", "/control/faults", add_fault),
        ("DELETE", "/control/faults", clear_faults),
        ("GET", "/control/groups", list_groups),
        ("POST", "/control/groups", put_group),
        ("GET", "/control/groups/{group_id}", get_group),
        ("GET", "/control/groups/{group_id}/topics", group_topics),
        ("GET", "/control/groups/{group_id}/messages", group_messages),
        ("POST", "/control/groups/{group_id}/messages", group_post),
        ("POST", "/control/groups/{group_id}/photo", group_photo),
        ("POST", "/control/groups/{group_id}/members", group_member),
        ("POST", "/control/groups/{group_id}/bot", group_bot),
        ("GET", "/", page),
        ("GET", "/chat", page),
    ]
    for method, path, route in routes:
        app.router.add_route(method, path, _guard(route))
    app.router.add_static("/static/", STATIC_DIR)
