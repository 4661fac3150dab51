"""A Bot Framework adapter on our own connector: the SDK's activity model and turn pipeline, our HTTP.

STACK.md measured CloudAdapter building a connector client per turn and sending with synchronous
`requests`; this adapter keeps TurnContext, middleware and ActivityHandler, and sends through BotConnector.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from botbuilder.core import BotAdapter, TurnContext
from botbuilder.schema import Activity, ActivityTypes, ConversationReference, ResourceResponse

from connector.client import BotConnector

INVOKE_RESPONSE_KEY = BotAdapter._INVOKE_RESPONSE_KEY


def activity_json(activity: Activity) -> dict[str, Any]:
    """Serialise an outgoing activity once, to the wire shape the Bot Connector expects.

    A card is already JSON (a dict made by its dialog), so msrest is given the envelope alone: walking a
    card's every value through its type-less serialiser was a tenth of a help turn.
    """
    attachments = activity.attachments or []
    contents = [attachment.content for attachment in attachments]
    for attachment in attachments:
        attachment.content = None
    try:
        serialized: dict[str, Any] = activity.serialize()  # botbuilder has no type information
    finally:
        for attachment, content in zip(attachments, contents, strict=True):
            attachment.content = content
    for wire, content in zip(serialized.get("attachments", []), contents, strict=True):
        if content is not None:
            wire["content"] = content
    return serialized


def tenant_of(activity: Activity) -> str | None:
    """The tenant an inbound activity comes from: its conversation's tenant id, else its channel data's."""
    if activity.conversation is not None and activity.conversation.tenant_id:
        return str(activity.conversation.tenant_id)
    data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
    tenant = data.get("tenant")
    value = tenant.get("id") if isinstance(tenant, dict) else None
    return value if isinstance(value, str) and value else None


class StewardAdapter(BotAdapter):
    def __init__(self, connector: BotConnector) -> None:
        super().__init__()
        self.connector = connector

    async def process(self, activity: Activity, logic: Callable[[TurnContext], Awaitable[None]]) -> Any:
        """Run one inbound activity through the pipeline; return the invoke response's value, if any."""
        context = TurnContext(self, activity)
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
