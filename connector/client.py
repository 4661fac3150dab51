"""The outbound sender: every call the bot makes to the Bot Connector REST API goes through here.

One kept-alive aiohttp session, a cached bot token, Teams' rate limits, and a retry policy:
429 waits for Retry-After, 5xx/408 and connection errors back off with jitter, 403/404 mean the
recipient removed the app or the conversation is gone. A POST that times out after it was sent is not
retried: Teams may have delivered it, and a retry would show the card twice. It raises
DeliveryUncertain instead, for the caller to record. PUT, DELETE and GET are idempotent and retried.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import aiohttp
from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt, stop_any
from tenacity.stop import stop_base
from tenacity.wait import wait_exponential_jitter

from connector.limits import TeamsLimits
from connector.urls import service_url_problem

log = logging.getLogger(__name__)

MAX_RETRY_AFTER = 60.0
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"  # an Adaptive Card attachment


class TokenSource(Protocol):
    async def token(self) -> str: ...

    def invalidate(self) -> None:
        """Forget the cached token (the Bot Connector refused it)."""
        ...


class DeliveryFailed(Exception):
    """The Bot Connector refused the call for good (after retries, or a non-retryable answer)."""

    def __init__(self, message: str, *, status: int | None = None, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.code = code


class RecipientUnreachable(DeliveryFailed):
    """403/404: the user removed the app, or the bot is no longer in the conversation."""


class DeliveryUncertain(DeliveryFailed):
    """A message was sent but no answer came in time: Teams may or may not have delivered it."""


class _Retryable(Exception):
    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        retry_after: float | None = None,
        refused: bool = False,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after
        self.refused = refused  # nothing listens there: worth one quick retry, not a turn's worth of back-off


REFUSED_ATTEMPTS = 2
REFUSED_WAIT = 0.2


class _RefusedTwice(stop_base):
    """Stop once an address where nothing listens has refused twice."""

    def __call__(self, retry_state: RetryCallState) -> bool:
        outcome = retry_state.outcome
        error = outcome.exception() if outcome else None
        return (
            isinstance(error, _Retryable) and error.refused and retry_state.attempt_number >= REFUSED_ATTEMPTS
        )


@dataclass(frozen=True, slots=True)
class _Limits:
    """Which of Teams' limits a call counts against: its tenant's, and its conversation's when it posts."""

    tenant_id: str | None
    conversation_id: str | None


def _tenant_of(activity: dict[str, Any]) -> str | None:
    conversation = activity.get("conversation")
    tenant = conversation.get("tenantId") if isinstance(conversation, dict) else None
    return tenant if isinstance(tenant, str) and tenant else None


def _retry_after(header: str | None) -> float | None:
    if not header:
        return None
    try:
        return min(max(float(header), 0.0), MAX_RETRY_AFTER)
    except ValueError:
        return None


class BotConnector:
    """Sends, updates and looks up through the Bot Connector; built once per app."""

    def __init__(
        self,
        session: aiohttp.ClientSession,
        *,
        tokens: TokenSource | None,
        timeout: float = 10.0,
        attempts: int = 4,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._session = session
        self._tokens = tokens
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._attempts = attempts
        self._sleep = sleep
        self._backoff = wait_exponential_jitter(initial=0.5, max=8.0, jitter=0.5)
        self._limits = TeamsLimits()

    async def send(
        self,
        service_url: str,
        conversation_id: str,
        activity: dict[str, Any],
        *,
        reply_to_id: str | None = None,
        tenant_id: str | None = None,
        retried: list[Retry] | None = None,
    ) -> str | None:
        """Post a message; returns the new activity's id where the connector gives one.

        The tenant (for Teams' per-tenant limit) is `tenant_id`, else the activity's conversation's.
        Each try that was answered with something worth retrying (429, 5xx) is added to `retried`.
        """
        path = f"/v3/conversations/{quote(conversation_id, safe='')}/activities"
        if reply_to_id:
            path += f"/{quote(reply_to_id, safe='')}"
        limits = _Limits(tenant_id or _tenant_of(activity), conversation_id)
        body = await self._call("POST", service_url, path, activity, limits, retried)
        return body.get("id") if isinstance(body, dict) else None

    async def update(
        self,
        service_url: str,
        conversation_id: str,
        activity_id: str,
        activity: dict[str, Any],
        *,
        tenant_id: str | None = None,
    ) -> None:
        path = f"/v3/conversations/{quote(conversation_id, safe='')}/activities/{quote(activity_id, safe='')}"
        limits = _Limits(tenant_id or _tenant_of(activity), conversation_id)
        await self._call("PUT", service_url, path, activity, limits)

    async def delete(
        self, service_url: str, conversation_id: str, activity_id: str, *, tenant_id: str | None = None
    ) -> None:
        path = f"/v3/conversations/{quote(conversation_id, safe='')}/activities/{quote(activity_id, safe='')}"
        await self._call("DELETE", service_url, path, None, _Limits(tenant_id, conversation_id))

    async def member(
        self, service_url: str, conversation_id: str, member_id: str, *, tenant_id: str | None = None
    ) -> dict[str, Any]:
        """Teams member lookup: email, userPrincipalName and aadObjectId of one conversation member."""
        path = f"/v3/conversations/{quote(conversation_id, safe='')}/members/{quote(member_id, safe='')}"
        body = await self._call("GET", service_url, path, None, _Limits(tenant_id, None))
        return body if isinstance(body, dict) else {}

    def _wait(self, state: RetryCallState) -> float:
        error = state.outcome.exception() if state.outcome else None
        if isinstance(error, _Retryable) and error.retry_after is not None:
            return error.retry_after
        if isinstance(error, _Retryable) and error.refused:
            return REFUSED_WAIT
        return self._backoff(state)

    async def _call(
        self,
        method: str,
        service_url: str,
        path: str,
        body: dict[str, Any] | None,
        limits: _Limits,
        retried: list[Retry] | None = None,
    ) -> Any:
        problem = service_url_problem(service_url)
        if problem is not None:  # a stored reference from before the check: report it, never raise
            raise DeliveryFailed(
                f"{method} {path}: the service URL cannot be used: {problem}", code="BadServiceUrl"
            )
        url = service_url.rstrip("/") + path
        retrying = AsyncRetrying(
            stop=stop_any(stop_after_attempt(self._attempts), _RefusedTwice()),
            wait=self._wait,
            retry=retry_if_exception_type(_Retryable),
            sleep=self._sleep,
            reraise=True,
            before_sleep=(lambda state: _note_retry(state, retried)) if retried is not None else None,
        )
        try:
            async for attempt in retrying:
                with attempt:
                    return await self._once(method, url, body, limits)
        except _Retryable as error:
            tries = retrying.statistics.get("attempt_number", self._attempts)
            raise DeliveryFailed(
                f"{method} {path}: gave up after {tries} attempts: {error}", status=error.status
            ) from None
        return None  # pragma: no cover - AsyncRetrying always returns or raises

    async def _once(self, method: str, url: str, body: dict[str, Any] | None, limits: _Limits) -> Any:
        headers = {"Accept": "application/json"}
        if self._tokens is not None:
            headers["Authorization"] = f"Bearer {await self._tokens.token()}"
        # Waits while Teams' limit for this tenant, or for the conversation a post goes into, is used up;
        # the call keeps its place until its answer is in.
        await self._limits.acquire(limits.tenant_id, limits.conversation_id)
        try:
            status, text, retry_after = await self._request(method, url, body, headers)
        finally:
            self._limits.release(limits.tenant_id, limits.conversation_id)
        if status < 300:
            return _json(text)
        code = _error_code(text)
        if status == 401 and self._tokens is not None:
            self._tokens.invalidate()  # the cached token was refused: the next attempt fetches a new one
            raise _Retryable(f"HTTP 401 {code}".strip(), status=status)
        if status == 429 or status == 408 or status >= 500:
            log.warning("bot connector answered %s on %s %s; will retry", status, method, _path_only(url))
            raise _Retryable(f"HTTP {status} {code}".strip(), status=status, retry_after=retry_after)
        if status in (403, 404):
            raise RecipientUnreachable(f"HTTP {status} {code}".strip(), status=status, code=code)
        raise DeliveryFailed(f"HTTP {status} {code}".strip(), status=status, code=code)

    async def _request(
        self, method: str, url: str, body: dict[str, Any] | None, headers: dict[str, str]
    ) -> tuple[int, str, float | None]:
        """One HTTP exchange: the status, the body and any Retry-After, or the error as a retry or a failure."""
        try:
            async with self._session.request(
                method, url, json=body, headers=headers, timeout=self._timeout, allow_redirects=False
            ) as response:
                text = await response.text()
                return response.status, text, _retry_after(response.headers.get("Retry-After"))
        except aiohttp.ConnectionTimeoutError as error:  # never connected: nothing was sent
            raise _Retryable(f"{type(error).__name__}: {error}") from None
        except TimeoutError as error:
            if method == "POST":
                raise DeliveryUncertain(
                    f"{method} {_path_only(url)}: no answer within {self._timeout.total:g}s; "
                    "it may have been delivered, so it is not sent again"
                ) from None
            raise _Retryable(f"{type(error).__name__}: {error}") from None
        except aiohttp.ClientConnectorError as error:  # refused or unresolvable: nothing was sent
            raise _Retryable(f"{type(error).__name__}: {error}", refused=True) from None
        except (aiohttp.ClientConnectionError, aiohttp.ClientPayloadError) as error:
            raise _Retryable(f"{type(error).__name__}: {error}") from None


@dataclass(frozen=True, slots=True)
class Retry:
    """One try Teams answered with something worth trying again: its status (if any), why, the wait."""

    status: int | None
    reason: str
    waited: float


def _note_retry(state: RetryCallState, retried: list[Retry]) -> None:
    error = state.outcome.exception() if state.outcome else None
    if isinstance(error, _Retryable):
        waited = state.next_action.sleep if state.next_action is not None else 0.0
        retried.append(Retry(error.status, str(error), float(waited)))


def _json(text: str) -> Any:
    if not text:
        return {}
    try:
        return json.loads(text)
    except ValueError:
        return {}


def _error_code(text: str) -> str:
    body = _json(text)
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return str(body["error"].get("code", ""))[:100]
    return ""


def _path_only(url: str) -> str:
    return url.split("?", 1)[0]
