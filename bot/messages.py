"""The /api/messages front door: size, type, shape, authentication and tenant checks before any turn runs.

Everything malformed gets a 4xx with a short JSON reason and one log line: never a 500, never a traceback.
"""

from __future__ import annotations

import json
import logging
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from azure.core.exceptions import DeserializationError  # what msrest raises; msrest.exceptions re-exports it
from botbuilder.schema import Activity

from bot.adapter import StewardAdapter
from bot.auth import AuthenticationFailed, BotAuthenticator, SigningKeysUnavailable
from bot.gate import ConversationGate
from bot.handler import StewardBot
from bot.replies import invoke_body
from bot.settings import Settings
from bot.wire import from_wire
from connector.client import CARD_CONTENT_TYPE, BotConnector, DeliveryFailed
from connector.urls import is_loopback, service_url_problem
from dialogs.base import Reply
from dialogs.cards import card, heading, text

log = logging.getLogger(__name__)

ACTED_ON = frozenset({"message", "invoke", "conversationUpdate", "event"})  # event: read receipts
MAX_DEPTH = 64  # Teams activities nest a dozen levels at most; deeper is an attack on recursion
# Longest value each envelope field may carry: the database columns they end up in are this wide.
FIELD_LIMITS = {"serviceUrl": 400, "conversation.id": 400, "from.id": 200, "recipient.id": 200, "id": 200}
MAX_TENANT_ID = 64
MAX_AAD_OBJECT_ID = 64
MAX_CHANNEL_ID = 32


def refuse(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)


def _bot_added(body: dict[str, Any]) -> bool:
    """A conversationUpdate saying the bot itself was just added (installed)."""
    recipient = body.get("recipient")
    recipient = recipient if isinstance(recipient, dict) else {}
    added = body.get("membersAdded")
    added = added if isinstance(added, list) else []
    return (
        body["type"] == "conversationUpdate"
        and bool(recipient.get("id"))
        and any(isinstance(m, dict) and m.get("id") == recipient.get("id") for m in added)
    )


def _bearer_scheme(authorization: str | None) -> bool:
    if not authorization:
        return False
    return authorization.strip().partition(" ")[0].lower() == "bearer"


TENANT_FIELDS = ("conversation.tenantId", "channelData.tenant.id")  # where Teams puts it, in order


def tenant_of(body: dict[str, Any]) -> str | None:
    for path in TENANT_FIELDS:
        tenant = _field(body, path)
        if isinstance(tenant, str):
            return tenant
    return None


class UnacceptableBody(ValueError):
    """JSON that parses but that Steward will not walk or store; the message says why, for the 400."""


def _no_constants(name: str) -> float:
    """JSON has no NaN or Infinity; Python's parser accepts them, so refuse them here."""
    raise ValueError(f"{name} is not JSON")


def parse_body(raw: bytes) -> Any:
    """The JSON body. ValueError when it is not strict JSON; UnacceptableBody when it is JSON that we
    will not walk or store."""
    try:
        body = json.loads(raw, parse_constant=_no_constants)
    except RecursionError:
        raise UnacceptableBody("the body is nested too deeply") from None
    problem = content_problem(body)
    if problem is not None:
        raise UnacceptableBody(problem)
    return body


def content_problem(body: Any) -> str | None:
    """Nesting beyond MAX_DEPTH, or text no database can store (NUL, unpaired surrogates); walked without recursion."""
    stack: list[tuple[Any, int]] = [(body, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return "the body is nested too deeply"
        if isinstance(node, str):
            if "\x00" in node:
                return "the body contains a NUL character"
            try:
                node.encode("utf-8")
            except UnicodeEncodeError:
                return "the body contains invalid Unicode"
        elif isinstance(node, dict):
            stack.extend((key, depth) for key in node)
            stack.extend((value, depth + 1) for value in node.values())
        elif isinstance(node, list):
            stack.extend((item, depth + 1) for item in node)
    return None


def _field(body: dict[str, Any], path: str) -> Any:
    node: Any = body
    for part in path.split("."):
        node = node.get(part) if isinstance(node, dict) else None
    return node


def shape_problem(body: Any) -> str | None:
    """What is wrong with the activity's envelope, or None when it can be acted on."""
    if not isinstance(body, dict):
        return "the body must be a JSON object (one activity)"
    if not isinstance(body.get("type"), str) or not body["type"]:
        return "the activity has no type"
    problem = service_url_problem(body.get("serviceUrl"))
    if problem is not None:
        return f"the activity has no valid serviceUrl: {problem}"
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
    for path, limit in FIELD_LIMITS.items():
        value = _field(body, path)
        if isinstance(value, str) and len(value) > limit:
            return f"the activity's {path} is longer than {limit} characters"
    channel = body.get("channelId")
    if channel is not None and (not isinstance(channel, str) or len(channel) > MAX_CHANNEL_ID):
        return "the activity's channelId is not a short string"
    aad = sender.get("aadObjectId")
    if aad is not None and (not isinstance(aad, str) or len(aad) > MAX_AAD_OBJECT_ID):
        return "the sender's aadObjectId is not a short string"
    for path in TENANT_FIELDS:
        tenant = _field(body, path)
        if tenant is not None and (not isinstance(tenant, str) or len(tenant) > MAX_TENANT_ID):
            return f"the activity's {path} is not a tenant id"
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
        self._gate = ConversationGate()  # one turn at a time per conversation

    async def __call__(self, request: web.Request) -> web.Response:
        if not self._settings.local_mode and not _bearer_scheme(request.headers.get("Authorization")):
            # Anonymous callers are turned away before their body is read or parsed.
            log.warning("refused an unauthenticated activity: no Bearer token")
            return refuse(401, "authentication failed")
        if request.content_type != "application/json":
            return refuse(415, "send the activity as application/json")
        try:
            raw = await request.read()
        except web.HTTPRequestEntityTooLarge:
            log.info("refused an activity over %s bytes", self._settings.max_body_bytes)
            return refuse(413, f"the activity is larger than {self._settings.max_body_bytes} bytes")
        try:
            body = parse_body(raw)
        except UnacceptableBody as error:
            log.info("refused an activity: %s", error)
            return refuse(400, str(error))
        except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
            log.info("refused an activity: the body is not valid JSON")
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
            activity = from_wire(Activity, body)
        except (DeserializationError, ValueError, TypeError, AttributeError) as error:
            log.info("refused an activity that does not deserialise: %s", type(error).__name__)
            return refuse(400, "the activity does not match the Bot Framework schema")
        try:
            async with self._gate.turn(body["conversation"]["id"]):
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
        if body["type"] == "message" or _bot_added(body):
            reply = {
                "type": "message",
                "attachments": [{"contentType": CARD_CONTENT_TYPE, "content": TENANT_REFUSAL}],
                "conversation": {"id": body["conversation"]["id"]},
                "from": body.get("recipient") or {"id": "steward"},
            }
            try:
                await self._connector.send(
                    body["serviceUrl"],
                    body["conversation"]["id"],
                    reply,
                    reply_to_id=body.get("id"),
                    tenant_id=body["conversation"].get("tenantId"),
                )
            except DeliveryFailed as error:
                log.info("tenant refusal not delivered: %s", error)
        return web.json_response({}, status=200)
