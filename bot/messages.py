"""The /api/messages front door: size, type, shape, authentication and tenant checks before any turn runs.

Everything malformed gets a 4xx with a short JSON reason and one log line: never a 500, never a traceback.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from botbuilder.schema import Activity
from msrest.exceptions import DeserializationError

from bot.adapter import StewardAdapter
from bot.auth import AuthenticationFailed, BotAuthenticator, SigningKeysUnavailable
from bot.connector import BotConnector, DeliveryFailed
from bot.handler import StewardBot, invoke_body
from bot.settings import Settings, is_loopback
from dialogs.base import Reply
from dialogs.cards import CARD_CONTENT_TYPE, card, heading, text

log = logging.getLogger(__name__)

ACTED_ON = frozenset({"message", "invoke", "conversationUpdate"})


def refuse(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


def tenant_of(body: dict[str, Any]) -> str | None:
    conversation = body.get("conversation") if isinstance(body.get("conversation"), dict) else {}
    if isinstance(conversation.get("tenantId"), str):
        return conversation["tenantId"]
    data = body.get("channelData") if isinstance(body.get("channelData"), dict) else {}
    tenant = data.get("tenant") if isinstance(data.get("tenant"), dict) else {}
    return tenant.get("id") if isinstance(tenant.get("id"), str) else None


def shape_problem(body: Any) -> str | None:
    """What is wrong with the activity's envelope, or None when it can be acted on."""
    if not isinstance(body, dict):
        return "the body must be a JSON object (one activity)"
    if not isinstance(body.get("type"), str) or not body["type"]:
        return "the activity has no type"
    service_url = body.get("serviceUrl")
    if (
        not isinstance(service_url, str)
        or urlsplit(service_url).scheme not in ("http", "https")
        or not urlsplit(service_url).hostname
    ):
        return "the activity has no valid serviceUrl"
    conversation = body.get("conversation")
    if (
        not isinstance(conversation, dict)
        or not isinstance(conversation.get("id"), str)
        or not conversation["id"]
    ):
        return "the activity has no conversation id"
    sender = body.get("from")
    if not isinstance(sender, dict) or not isinstance(sender.get("id"), str) or not sender["id"]:
        return "the activity has no sender (from.id)"
    if "id" in body and not isinstance(body["id"], str | None):
        return "the activity id must be a string"
    return None


TENANT_REFUSAL = card(
    [
        heading("Steward isn't available here"),
        text(
            "This organisation is not set up to use Steward. If you think it should be, ask your Teams "
            "administrator to contact the team that runs Steward."
        ),
    ]
)


class MessagesEndpoint:
    def __init__(
        self,
        settings: Settings,
        adapter: StewardAdapter,
        bot: StewardBot,
        authenticator: BotAuthenticator | None,
        connector: BotConnector,
    ) -> None:
        self._settings = settings
        self._adapter = adapter
        self._bot = bot
        self._authenticator = authenticator
        self._connector = connector

    async def __call__(self, request: web.Request) -> web.Response:
        if request.content_type != "application/json":
            return refuse(415, "send the activity as application/json")
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            log.info("refused an activity over %s bytes", self._settings.max_body_bytes)
            return refuse(413, f"the activity is larger than {self._settings.max_body_bytes} bytes")
        try:
            body = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            return refuse(400, "the body is not valid JSON")
        problem = shape_problem(body)
        if problem is not None:
            log.info("refused a malformed activity: %s", problem)
            return refuse(400, problem)
        denied = await self._authenticate(request, body)
        if denied is not None:
            return denied
        tenant = tenant_of(body)
        if self._settings.allowed_tenants and tenant not in self._settings.allowed_tenants:
            log.warning("refused an activity from tenant %s, which is not on the allow-list", tenant)
            return await self._refuse_tenant(body)
        if body["type"] not in ACTED_ON:
            return web.json_response({}, status=200)
        try:
            activity = Activity().deserialize(body)
        except (DeserializationError, ValueError, TypeError, AttributeError) as error:
            log.info("refused an activity that does not deserialise: %s", type(error).__name__)
            return refuse(400, "the activity does not match the Bot Framework schema")
        try:
            value = await self._adapter.process(activity, self._bot.on_turn)
        except Exception:
            log.exception("turn failed outside the dialog (activity %s)", activity.id)
            return refuse(500, "Steward could not handle this activity")
        if body["type"] == "invoke":
            if value is None:
                return web.json_response({}, status=200)
            return web.json_response(value.body if value.body is not None else {}, status=value.status or 200)
        return web.json_response({}, status=200)

    async def _authenticate(self, request: web.Request, body: dict[str, Any]) -> web.Response | None:
        if self._settings.local_mode:
            if not is_loopback(body["serviceUrl"]):
                log.warning(
                    "local mode: refused serviceUrl %s (only loopback is served without an app id)",
                    urlsplit(body["serviceUrl"]).hostname,
                )
                return refuse(401, "without MicrosoftAppId only loopback service URLs are accepted")
            return None
        assert self._authenticator is not None
        try:
            await self._authenticator.authenticate(
                request.headers.get("Authorization"),
                service_url=body["serviceUrl"],
                channel_id=body.get("channelId"),
            )
        except AuthenticationFailed as failure:
            log.warning("refused an unauthenticated activity: %s", failure.reason)
            return refuse(401, "authentication failed")
        except SigningKeysUnavailable:
            log.error("cannot check tokens: the Bot Framework signing keys are unavailable")
            return refuse(503, "token signing keys are unavailable; try again shortly")
        return None

    async def _refuse_tenant(self, body: dict[str, Any]) -> web.Response:
        if body["type"] == "invoke":
            return web.json_response(invoke_body(Reply(card=TENANT_REFUSAL)), status=200)
        if body["type"] == "message":
            reply = {
                "type": "message",
                "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": TENANT_REFUSAL}],
                "conversation": {"id": body["conversation"]["id"]},
                "from": body.get("recipient") or {"id": "steward"},
            }
            try:
                await self._connector.send(
                    body["serviceUrl"], body["conversation"]["id"], reply, reply_to_id=body.get("id")
                )
            except DeliveryFailed as error:
                log.info("tenant refusal not delivered: %s", error)
        return web.json_response({}, status=200)
