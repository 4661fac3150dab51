"""The floor: a bare aiohttp handler that posts the reply on one kept-alive client session."""

from __future__ import annotations

from urllib.parse import quote

import aiohttp
from aiohttp import web

SESSION = web.AppKey("session", aiohttp.ClientSession)


def app() -> web.Application:
    async def messages(request: web.Request) -> web.Response:
        activity = await request.json()
        conversation = quote(activity["conversation"]["id"], safe="")
        url = f"{activity['serviceUrl'].rstrip('/')}/v3/conversations/{conversation}/activities/{activity['id']}"
        reply = {"type": "message", "text": f"Echo: {activity.get('text')}", "replyToId": activity["id"]}
        async with request.app[SESSION].post(url, json=reply) as answer:
            await answer.read()
        return web.Response(status=201)

    async def session(application: web.Application):  # type: ignore[no-untyped-def]
        application[SESSION] = aiohttp.ClientSession()
        yield
        await application[SESSION].close()

    application = web.Application()
    application.router.add_post("/api/messages", messages)
    application.cleanup_ctx.append(session)
    return application
