"""A Bot Framework adapter on our own connector: the SDK's activity model and turn pipeline, our HTTP.

STACK.md measured CloudAdapter building a connector client per turn and sending with synchronous
`requests`; this adapter keeps TurnContext, middleware and ActivityHandler, and sends through BotConnector.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import (
    Activity,
    ActivityTypes,
    ConversationReference,
    DeliveryModes,
    ResourceResponse,
)

from bot.wire import to_wire
from connector.client import BotConnector

INVOKE_RESPONSE_KEY = BotAdapter._INVOKE_RESPONSE_KEY


def activity_json(activity: Activity) -> dict[str, Any]:
    """An outgoing activity in the wire shape the Bot Connector expects (bot/wire.py)."""
    return to_wire(activity)


def tenant_of(activity: Activity) -> str | None:
    """The tenant an inbound activity comes from: its conversation's tenant id, else its channel data's."""
    if activity.conversation is not None and activity.conversation.tenant_id:
        return str(activity.conversation.tenant_id)
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant")
    value = tenant.get("id") if isinstance(tenant, dict) else None
    return value if isinstance(value, str) and value else None


class RepliesAsMade(TurnContext):
    """A TurnContext that addresses and sends each reply as its dialog made it.

    botbuilder deep-copies every outgoing activity (its card with it) before addressing it, to leave the
    caller's object alone; Steward makes a fresh activity for each reply, so the copy protected nothing
    and cost a fortieth of a help turn. With send handlers registered, or replies buffered for an
    `expectReplies` caller, botbuilder's own path runs.
    """

    async def send_activities(self, activities: list[Activity]) -> list[ResourceResponse]:
        if self._on_send_activities or self.activity.delivery_mode == DeliveryModes.expect_replies:
            return list(await super().send_activities(activities))
        reference = TurnContext.get_conversation_reference(self.activity)
        for activity in activities:
            TurnContext.apply_conversation_reference(activity, reference)
            activity.type = activity.type or ActivityTypes.message
            activity.input_hint = activity.input_hint or "acceptingInput"
            activity.id = None
        responses = await self.adapter.send_activities(self, activities)
        if any(activity.type != ActivityTypes.trace for activity in activities):
            self.responded = True
        return responses


class StewardAdapter(BotAdapter):
    def __init__(self, connector: BotConnector) -> None:
        super().__init__()
        self.connector = connector

    async def process(self, activity: Activity, logic: Callable[[TurnContext], Awaitable[None]]) -> Any:
        """Run one inbound activity through the pipeline; return the invoke response's value, if any."""
        context = RepliesAsMade(self, activity)
        await self.run_pipeline(context, logic)
        response = context.turn_state.get(INVOKE_RESPONSE_KEY)
        return response.value if response is not None else None

    async def send_activities(
        self, context: TurnContext, activities: list[Activity]
    ) -> list[ResourceResponse]:
        responses: list[ResourceResponse] = []
        for activity in activities:
            if activity.type == ActivityTypes.invoke_response:
                context.turn_state[INVOKE_RESPONSE_KEY] = activity
                responses.append(ResourceResponse())
                continue
            if activity.type in ("delay", ActivityTypes.trace):
                responses.append(ResourceResponse())
                continue
            new_id = await self.connector.send(
                activity.service_url,
                activity.conversation.id,
                activity_json(activity),
                reply_to_id=activity.reply_to_id,
                tenant_id=tenant_of(context.activity),  # the reply drops the conversation's tenant id
            )
            responses.append(ResourceResponse(id=new_id))
        return responses

    async def update_activity(self, context: TurnContext, activity: Activity) -> ResourceResponse:
        await self.connector.update(
            activity.service_url,
            activity.conversation.id,
            activity.id,
            activity_json(activity),
            tenant_id=tenant_of(context.activity),
        )
        return ResourceResponse(id=activity.id)

    async def delete_activity(self, context: TurnContext, reference: ConversationReference) -> None:
        await self.connector.delete(
            reference.service_url,
            reference.conversation.id,
            reference.activity_id,
            tenant_id=reference.conversation.tenant_id,
        )
