"""Signed, expiring download links: which file, for which person, until when (HMAC-SHA256, no state).

Three kinds of token share one key, one signature and one expiry check, each with its own prefix:
``v1`` an evaluation's (or a performance notice's) export, ``i1`` a meeting's invitation, ``w1`` one of a contract's report workbooks.
"""

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
# w1.<contract id>.<report>.<quarter, 2026Q2>.<person id>.<expiry, Unix seconds>.<signature>: a workbook.
_REPORT = re.compile(
    r"w1\.([1-9][0-9]{0,9})\.(framework|monthly|pack)\.([0-9]{4}Q[1-4])\.([1-9][0-9]{0,9})"
    r"\.([1-9][0-9]{0,11})\.([A-Za-z0-9_-]{43})"
)
ReportKind = Literal["framework", "monthly", "pack"]
REPORTS: tuple[ReportKind, ...] = ("framework", "monthly", "pack")
REPORT_FILES: dict[ReportKind, str] = {
    "framework": "performance-framework",
    "monthly": "monthly-framework",
    "pack": "meeting-pack",
}
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


@dataclass(frozen=True, slots=True)
class ReportGrant:
    """What a report link lets its holder fetch: one contract's workbook for one quarter, as one person.

    `quarter` is the quarter's key (2026Q2); the contract's own year start gives it its months."""

    contract_id: int
    report: ReportKind
    quarter: str
    person_id: int
    expires: datetime

    def filename(self, contract_key: str) -> str:
        """'IVWS-performance-framework-2026Q2.xlsx': the contract's key kept to letters, digits and -_."""
        safe = re.sub(r"[^A-Za-z0-9_-]+", "-", contract_key).strip("-") or "contract"
        return f"{safe}-{REPORT_FILES[self.report]}-{self.quarter}.xlsx"


TokenKind = Literal["evaluation", "invitation", "report"]
_KINDS: dict[str, TokenKind] = {"v1.": "evaluation", "i1.": "invitation", "w1.": "report"}


def token_kind(token: str) -> TokenKind:
    """Which kind of link a token claims to be, by its prefix (an unknown one is checked as an evaluation's)."""
    return _KINDS.get(token[:3], "evaluation")


def is_invite_token(token: str) -> bool:
    return token_kind(token) == "invitation"


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
        (prefix, evaluation_id, fmt, person_id), expires = self._checked(_TOKEN, "download", token, now)
        kind: FileKind = "notice" if prefix else "evaluation"
        return Grant(int(evaluation_id), "xlsx" if fmt == "xlsx" else "csv", int(person_id), expires, kind)

    def report_grant(
        self, contract_id: int, report: ReportKind, quarter: str, person_id: int, now: datetime
    ) -> ReportGrant:
        expires = (now + self.lifetime).astimezone(UTC).replace(microsecond=0)
        return ReportGrant(contract_id, report, quarter, person_id, expires)

    def report_url(self, grant: ReportGrant, path: str = PATH) -> str:
        """The link; `path` is where it is served (the bot's /downloads/, or the tab's own)."""
        body = (
            f"w1.{grant.contract_id}.{grant.report}.{grant.quarter}.{grant.person_id}"
            f".{int(grant.expires.timestamp())}"
        )
        return f"{self.base_url}{path}{body}.{self._sign(body)}"

    def check_report(self, token: str, now: datetime) -> ReportGrant:
        """The report grant a token carries; raises LinkRefused if forged, tampered or expired."""
        groups, expires = self._checked(_REPORT, "report", token, now)
        contract_id, report, quarter, person_id = groups
        kind = next(k for k in REPORTS if k == report)
        return ReportGrant(int(contract_id), kind, quarter, int(person_id), expires)

    def _checked(
        self, pattern: re.Pattern[str], kind: str, token: str, now: datetime
    ) -> tuple[tuple[str, ...], datetime]:
        """Every kind's check: the token's shape, its signature, then its expiry (the last field)."""
        match = pattern.fullmatch(token)
        if match is None:
            raise LinkRefused(f"not a {kind} token")
        body, signature = token.rsplit(".", 1)
        if not hmac.compare_digest(signature, self._sign(body)):
            raise LinkRefused("bad signature")
        *fields, expiry, _ = match.groups()
        expires = datetime.fromtimestamp(int(expiry), UTC)
        if now >= expires:
            raise LinkRefused(f"expired at {expires:%Y-%m-%d %H:%M:%S} UTC", expired=True)
        return tuple(fields), expires

    def invite_grant(self, meeting_id: int, person_id: int, starts: datetime, now: datetime) -> InviteGrant:
        """A link to a meeting's invitation that works until a day after it starts (at least `lifetime`)."""
        until = max(starts + INVITE_AFTER_START, now + self.lifetime)
        return InviteGrant(meeting_id, person_id, until.astimezone(UTC).replace(microsecond=0))

    def invite_url(self, grant: InviteGrant) -> str:
        body = f"i1.{grant.meeting_id}.{grant.person_id}.{int(grant.expires.timestamp())}"
        return f"{self.base_url}{PATH}{body}.{self._sign(body)}"

    def check_invite(self, token: str, now: datetime) -> InviteGrant:
        """The invitation grant a token carries; raises LinkRefused if forged, tampered or expired."""
        (meeting_id, person_id), expires = self._checked(_INVITE, "invitation", token, now)
        return InviteGrant(int(meeting_id), int(person_id), expires)

    def _sign(self, body: str) -> str:
        digest = hmac.new(self.key, _LABEL + body.encode("ascii"), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def derived_key(secret: str, purpose: str = "download links") -> bytes:
    """A key for `purpose` derived from another secret (HMAC-SHA256), which it does not reveal."""
    return hmac.new(secret.encode("utf-8"), f"steward {purpose} v1".encode(), hashlib.sha256).digest()
