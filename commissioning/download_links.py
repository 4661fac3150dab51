"""Signed, expiring download links: which file, for which person, until when (HMAC-SHA256, no state)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

FileFormat = Literal["xlsx", "csv"]
FORMATS: tuple[FileFormat, ...] = ("xlsx", "csv")
DEFAULT_LIFETIME = timedelta(minutes=15)
PATH = "/downloads/"
# v1.<evaluation id>.<format>.<person id>.<expiry, Unix seconds>.<signature>: nothing else is a token.
# A performance notice's id carries an "n" before it (v1.n12.xlsx...), under the same signature.
_TOKEN = re.compile(
    r"v1\.(n?)([1-9][0-9]{0,9})\.(xlsx|csv)\.([1-9][0-9]{0,9})\.([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{43})"
)
FileKind = Literal["evaluation", "notice"]
_PREFIX: dict[FileKind, str] = {"evaluation": "", "notice": "n"}
_LABEL = b"steward download link v1\n"  # the key signs nothing else that could be mistaken for a link
# i1.<meeting id>.<person id>.<expiry, Unix seconds>.<signature>: a meeting's calendar invitation.
_INVITE = re.compile(r"i1\.([1-9][0-9]{0,9})\.([1-9][0-9]{0,9})\.([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{43})")
# An invitation link works until a day after the meeting starts: it goes on a card that may be read late.
INVITE_AFTER_START = timedelta(days=1)


class LinkRefused(Exception):
    """A link that must not give the file: forged or tampered (`expired` False), or past its expiry."""

    def __init__(self, reason: str, *, expired: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.expired = expired


@dataclass(frozen=True, slots=True)
class Grant:
    """What a valid link lets its holder fetch: one evaluation's (or performance notice's) export, in one
    format, as one person. `evaluation_id` is the id of the file's subject, of the `kind` given."""

    evaluation_id: int
    fmt: FileFormat
    person_id: int
    expires: datetime
    kind: FileKind = "evaluation"

    @property
    def filename(self) -> str:
        name = "evaluation" if self.kind == "evaluation" else "performance-notice"
        return f"{name}-{self.evaluation_id}.{self.fmt}"


@dataclass(frozen=True, slots=True)
class InviteGrant:
    """What an invitation link lets its holder fetch: one meeting's .ics, as one person."""

    meeting_id: int
    person_id: int
    expires: datetime

    @property
    def filename(self) -> str:
        return f"meeting-{self.meeting_id}.ics"


def is_invite_token(token: str) -> bool:
    return token.startswith("i1.")


@dataclass(frozen=True, slots=True)
class DownloadLinks:
    """Makes and checks the links a card offers; the key never leaves this object (nor its repr)."""

    base_url: str  # empty: no PUBLIC_URL outside local mode, so no link can be offered
    key: bytes = field(repr=False)
    lifetime: timedelta = DEFAULT_LIFETIME

    @property
    def enabled(self) -> bool:
        return bool(self.base_url)

    @classmethod
    def local(cls, port: int = 3978) -> DownloadLinks:
        """For local mode and tests built without settings: loopback URL, a random key for this process."""
        return cls(f"http://127.0.0.1:{port}", secrets.token_bytes(32))

    def grant(
        self,
        evaluation_id: int,
        fmt: FileFormat,
        person_id: int,
        now: datetime,
        kind: FileKind = "evaluation",
    ) -> Grant:
        expires = (now + self.lifetime).astimezone(UTC).replace(microsecond=0)
        return Grant(evaluation_id, fmt, person_id, expires, kind)

    def url(self, grant: Grant) -> str:
        return f"{self.base_url}{PATH}{self.token(grant)}"

    def token(self, grant: Grant) -> str:
        body = f"v1.{_PREFIX[grant.kind]}{grant.evaluation_id}.{grant.fmt}.{grant.person_id}.{int(grant.expires.timestamp())}"
        return f"{body}.{self._sign(body)}"

    def check(self, token: str, now: datetime) -> Grant:
        """The grant a token carries; raises LinkRefused if it is not one we signed, or has expired."""
        match = _TOKEN.fullmatch(token)
        if match is None:
            raise LinkRefused("not a download token")
        body, signature = token.rsplit(".", 1)
        if not hmac.compare_digest(signature, self._sign(body)):
            raise LinkRefused("bad signature")
        prefix, evaluation_id, fmt, person_id, expiry = match.group(1, 2, 3, 4, 5)
        expires = datetime.fromtimestamp(int(expiry), UTC)
        if now >= expires:
            raise LinkRefused(f"expired at {expires:%Y-%m-%d %H:%M:%S} UTC", expired=True)
        kind: FileKind = "notice" if prefix else "evaluation"
        return Grant(int(evaluation_id), "xlsx" if fmt == "xlsx" else "csv", int(person_id), expires, kind)

    def invite_grant(self, meeting_id: int, person_id: int, starts: datetime, now: datetime) -> InviteGrant:
        """A link to a meeting's invitation that works until a day after it starts (at least `lifetime`)."""
        until = max(starts + INVITE_AFTER_START, now + self.lifetime)
        return InviteGrant(meeting_id, person_id, until.astimezone(UTC).replace(microsecond=0))

    def invite_url(self, grant: InviteGrant) -> str:
        body = f"i1.{grant.meeting_id}.{grant.person_id}.{int(grant.expires.timestamp())}"
        return f"{self.base_url}{PATH}{body}.{self._sign(body)}"

    def check_invite(self, token: str, now: datetime) -> InviteGrant:
        """The invitation grant a token carries; raises LinkRefused if forged, tampered or expired."""
        match = _INVITE.fullmatch(token)
        if match is None:
            raise LinkRefused("not an invitation token")
        body, signature = token.rsplit(".", 1)
        if not hmac.compare_digest(signature, self._sign(body)):
            raise LinkRefused("bad signature")
        meeting_id, person_id, expiry = match.group(1, 2, 3)
        expires = datetime.fromtimestamp(int(expiry), UTC)
        if now >= expires:
            raise LinkRefused(f"expired at {expires:%Y-%m-%d %H:%M:%S} UTC", expired=True)
        return InviteGrant(int(meeting_id), int(person_id), expires)

    def _sign(self, body: str) -> str:
        digest = hmac.new(self.key, _LABEL + body.encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def derived_key(secret: str, purpose: str = "download links") -> bytes:
    """A key for `purpose` derived from another secret (HMAC-SHA256), which it does not reveal."""
    return hmac.new(secret.encode("utf-8"), f"steward {purpose} v1".encode(), hashlib.sha256).digest()
