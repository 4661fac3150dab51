"""The Microsoft 365 Agents SDK echo agent: its aiohttp CloudAdapter, anonymous (no auth configured)."""

from __future__ import annotations

from aiohttp import web
from microsoft_agents.hosting.aiohttp import CloudAdapter
from microsoft_agents.hosting.core import (
    ActivityHandler,
    AgentAuthConfiguration,
    AnonymousTokenProvider,
    MessageFactory,
    TurnContext,
)


class NoAuth:
    """The SDK's Connections, auth off: every outbound call is anonymous, as with no app id configured."""

    def __init__(self) -> None:
        self._anonymous = AnonymousTokenProvider()

    def get_connection(self, connection_name: str) -> AnonymousTokenProvider:
        return self._anonymous

    def get_default_connection(self) -> AnonymousTokenProvider:
        return self._anonymous

    def get_token_provider(self, *_: object) -> AnonymousTokenProvider:
        return self._anonymous

    def get_token_provider_from_activity(self, *_: object) -> AnonymousTokenProvider:
        return self._anonymous

    def get_default_connection_configuration(self) -> AgentAuthConfiguration:
        return AgentAuthConfiguration()


class EchoAgent(ActivityHandler):
    async def on_message_activity(self, turn_context: TurnContext) -> None:
        await turn_context.send_activity(MessageFactory.text(f"Echo: {turn_context.activity.text}"))


def app() -> web.Application:
    adapter = CloudAdapter(connection_manager=NoAuth())  # type: ignore[arg-type]
    agent = EchoAgent()

    async def messages(request: web.Request) -> web.StreamResponse:
        response = await adapter.process(request, agent)
        return response if response is not None else web.Response(status=202)

    application = web.Application()
    application.router.add_post("/api/messages", messages)
    return application
