"""Settings read from the environment and `.env`, checked once at start-up."""

from __future__ import annotations

import re
import secrets
from datetime import date, time, timedelta
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from commissioning.download_links import DownloadLinks, derived_key
from commissioning.gonogo import DEFAULT_THRESHOLDS, FactorSet, FactorSetError, Thresholds, load_factor_sets
from commissioning.reminder_policy import PolicyError, ReminderPolicy, load_policy
from commissioning.rules import Rules
from connector.token import PUBLIC_LOGIN_URL
from connector.urls import is_loopback

PUBLIC_OPENID_METADATA = "https://login.botframework.com/v1/.well-known/openidconfiguration"
PUBLIC_TOKEN_ISSUER = "https://api.botframework.com"
BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"
# The Teams tab's sign-in (docs/security.md): Teams SSO tokens come from the Microsoft identity platform.
TAB_OPENID_METADATA = "https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration"
# v2.0 tokens, and v1.0 ones (what Teams hands out unless the app registration asks for v2); {tenant} is the
# token's own tid, so a token names the tenant that issued it.
TAB_TOKEN_ISSUERS = ("https://login.microsoftonline.com/{tenant}/v2.0", "https://sts.windows.net/{tenant}/")
# Where Teams shows tabs: Teams on the web and desktop, Teams in Outlook and the Microsoft 365 app.
TAB_FRAME_ANCESTORS = (
    "https://teams.microsoft.com",
    "https://*.teams.microsoft.com",
    "https://*.cloud.microsoft",
    "https://outlook.office.com",
    "https://outlook.office365.com",
    "https://*.microsoft365.com",
)
_ORIGIN = re.compile(
    r"^https://(\*\.)?[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$|^http://(127\.0\.0\.1|localhost):\d{1,5}$"
)
# Local mode with no DOWNLOAD_KEY: one random key for this process (links stop working on a restart).
_PROCESS_DOWNLOAD_KEY = secrets.token_bytes(32)


def _alias(*names: str) -> AliasChoices:
    return AliasChoices(*names)


class Settings(BaseSettings):
    """Everything Steward can be told. A bad value stops start-up with a message naming it."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    # Bot Framework registration, under the names the Bot Framework itself uses.
    app_id: str = Field("", validation_alias=_alias("MicrosoftAppId", "MICROSOFT_APP_ID"))
    app_password: str = Field("", validation_alias=_alias("MicrosoftAppPassword", "MICROSOFT_APP_PASSWORD"))
    app_type: Literal["MultiTenant", "SingleTenant", "UserAssignedMSI"] = Field(
        "MultiTenant", validation_alias=_alias("MicrosoftAppType", "MICROSOFT_APP_TYPE")
    )
    app_tenant_id: str = Field("", validation_alias=_alias("MicrosoftAppTenantId", "MICROSOFT_APP_TENANT_ID"))
    openid_metadata_url: str = Field(
        PUBLIC_OPENID_METADATA, validation_alias=_alias("ToBotFromChannelOpenIdMetadataUrl")
    )
    token_issuer: str = Field(PUBLIC_TOKEN_ISSUER, validation_alias=_alias("ToBotFromChannelTokenIssuer"))
    login_url: str = Field(PUBLIC_LOGIN_URL, validation_alias=_alias("ToChannelFromBotLoginUrl"))
    oauth_scope: str = Field(BOT_FRAMEWORK_SCOPE, validation_alias=_alias("ToChannelFromBotOAuthScope"))

    # Who may talk to the bot: Azure AD tenant ids; empty means any tenant (local mode only).
    allowed_tenants: Annotated[list[str], NoDecode] = Field(
        default_factory=list, validation_alias=_alias("ALLOWED_TENANTS")
    )

    database_url: str = Field("sqlite:///steward.db", validation_alias=_alias("DATABASE_URL"))
    host: str = Field("127.0.0.1", validation_alias=_alias("HOST"))
    port: int = Field(3978, ge=1, le=65535, validation_alias=_alias("PORT"))
    timezone: str = Field("Europe/London", validation_alias=_alias("TIMEZONE", "TZ_NAME"))
    close_of_business: time = Field(time(17, 30), validation_alias=_alias("CLOSE_OF_BUSINESS"))
    # Extra days the commissioner's office is closed (comma-separated ISO dates), on top of bank holidays.
    closure_days: Annotated[list[date], NoDecode] = Field(
        default_factory=list, validation_alias=_alias("CLOSURE_DAYS")
    )
    max_body_bytes: int = Field(
        256 * 1024, ge=1024, le=16 * 1024 * 1024, validation_alias=_alias("MAX_BODY_BYTES")
    )
    outbound_timeout_seconds: float = Field(10.0, gt=0, le=120, validation_alias=_alias("OUTBOUND_TIMEOUT"))
    demo_portfolio: Path | None = Field(None, validation_alias=_alias("DEMO_PORTFOLIO"))
    # The demo's past (examples/demo-history.yaml), loaded with the demo portfolio into an empty database.
    demo_history: Path | None = Field(None, validation_alias=_alias("DEMO_HISTORY"))
    log_level: str = Field("INFO", validation_alias=_alias("LOG_LEVEL"))
    # Go/no-go: an administrator's factor sets (YAML, see docs/gonogo.md) and the default thresholds.
    factor_sets_file: Path | None = Field(None, validation_alias=_alias("FACTOR_SETS_FILE"))
    gonogo_go_at_least: str | None = Field(None, validation_alias=_alias("GONOGO_GO_AT_LEAST"))
    gonogo_no_go_below: str | None = Field(None, validation_alias=_alias("GONOGO_NO_GO_BELOW"))
    # Reminders (docs/reminders.md): where the one scheduler runs ("app", or "off" beside a separate
    # `steward scheduler`), and an administrator's reminder policy laid over the packaged defaults.
    scheduler: Literal["app", "off"] = Field("app", validation_alias=_alias("SCHEDULER"))
    policy_file: Path | None = Field(None, validation_alias=_alias("POLICY_FILE"))
    # Download links on cards (docs/security.md): where people's browsers reach the bot, the key that
    # signs the links (outside local mode, derived from MicrosoftAppPassword when unset), their lifetime.
    public_url: str = Field("", validation_alias=_alias("PUBLIC_URL"))
    download_key: str = Field("", repr=False, validation_alias=_alias("DOWNLOAD_KEY"))
    download_minutes: int = Field(15, ge=1, le=24 * 60, validation_alias=_alias("DOWNLOAD_LINK_MINUTES"))
    # The Teams tab (docs/security.md): the keys and issuers of its SSO tokens, their audience (the tab's
    # application ID URI; by default api://{PUBLIC_URL's host}/{MicrosoftAppId}), where it may be framed,
    # and how long the tab's session cookie lasts after a sign-in.
    tab_openid_metadata_url: str = Field(
        TAB_OPENID_METADATA, validation_alias=_alias("TAB_OPENID_METADATA_URL")
    )
    tab_token_issuers: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(TAB_TOKEN_ISSUERS), validation_alias=_alias("TAB_TOKEN_ISSUERS")
    )
    tab_app_id_uri: str = Field("", validation_alias=_alias("TAB_APP_ID_URI"))
    tab_frame_ancestors: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: list(TAB_FRAME_ANCESTORS), validation_alias=_alias("TAB_FRAME_ANCESTORS")
    )
    tab_session_minutes: int = Field(30, ge=1, le=12 * 60, validation_alias=_alias("TAB_SESSION_MINUTES"))

    @field_validator("allowed_tenants", "tab_token_issuers", "tab_frame_ancestors", mode="before")
    @classmethod
    def _split_tenants(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("closure_days", mode="before")
    @classmethod
    def _split_closure_days(cls, value: object) -> object:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}; use a name like Europe/London") from error
        return value

    @field_validator("openid_metadata_url", "login_url", "tab_openid_metadata_url")
    @classmethod
    def _https_or_loopback(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) URL")
        if parts.scheme == "http" and not is_loopback(value):
            raise ValueError(f"{value!r} must use https (plain http is allowed only on loopback)")
        return value

    @field_validator("public_url")
    @classmethod
    def _public_url(cls, value: str) -> str:
        if not value:
            return value
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
            raise ValueError(f"PUBLIC_URL {value!r} must be an http(s) URL with no query or fragment")
        if parts.username or parts.password:
            raise ValueError("PUBLIC_URL must not carry a user name or password")
        if parts.scheme == "http" and not is_loopback(value):
            raise ValueError(f"PUBLIC_URL {value!r} must use https (plain http is allowed only on loopback)")
        return value.rstrip("/")

    @field_validator("tab_token_issuers")
    @classmethod
    def _issuers(cls, value: list[str]) -> list[str]:
        if not value:
            raise ValueError("TAB_TOKEN_ISSUERS needs at least one issuer, e.g. " + TAB_TOKEN_ISSUERS[0])
        for issuer in value:
            if not issuer.startswith("https://") or issuer.count("{") != issuer.count("{tenant}"):
                raise ValueError(
                    f"TAB_TOKEN_ISSUERS: {issuer!r} must be an https URL, {{tenant}} its only field"
                )
        return value

    @field_validator("tab_app_id_uri")
    @classmethod
    def _app_id_uri(cls, value: str) -> str:
        if value and not re.fullmatch(r"api://[^\s/?#]+(/[^\s?#]+)*", value):
            raise ValueError(f"TAB_APP_ID_URI {value!r} must look like api://steward.example.org/<app id>")
        return value

    @field_validator("tab_frame_ancestors")
    @classmethod
    def _ancestors(cls, value: list[str]) -> list[str]:
        for origin in value:
            if not _ORIGIN.match(origin.lower()):
                raise ValueError(
                    f"TAB_FRAME_ANCESTORS: {origin!r} is not an origin like https://teams.microsoft.com "
                    "or https://*.teams.microsoft.com"
                )
        return [origin.lower() for origin in value]

    @field_validator("download_key")
    @classmethod
    def _long_key(cls, value: str) -> str:
        if value and len(value) < 32:
            raise ValueError("DOWNLOAD_KEY must be at least 32 characters (e.g. `openssl rand -base64 32`)")
        return value

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        upper = value.upper()
        if upper not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError("LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")
        return upper

    @model_validator(mode="after")
    def _secret_with_app_id(self) -> Settings:
        if self.app_id and not self.app_password and self.app_type != "UserAssignedMSI":
            raise ValueError(
                "MicrosoftAppId is set but MicrosoftAppPassword is not: set MicrosoftAppPassword to the "
                "client secret of the bot's app registration, or unset MicrosoftAppId to run in local mode"
            )
        if self.app_type == "SingleTenant" and self.app_id and not self.app_tenant_id:
            raise ValueError("MicrosoftAppType=SingleTenant needs MicrosoftAppTenantId")
        return self

    @model_validator(mode="after")
    def _factor_sets_usable(self) -> Settings:
        self.factor_sets()  # a broken factor set file stops start-up here, with the reason
        return self

    def factor_sets(self) -> dict[str, FactorSet]:
        """The built-in go/no-go factor sets plus FACTOR_SETS_FILE's, with the configured thresholds."""
        try:
            thresholds = Thresholds(
                go_at_least=self.gonogo_go_at_least or DEFAULT_THRESHOLDS.go_at_least,  # type: ignore[arg-type]  # text: Thresholds makes it a Fraction
                no_go_below=self.gonogo_no_go_below or DEFAULT_THRESHOLDS.no_go_below,  # type: ignore[arg-type]  # text: Thresholds makes it a Fraction
            )
        except ValueError as error:
            raise ValueError(f"GONOGO_GO_AT_LEAST / GONOGO_NO_GO_BELOW: {error}") from None
        text = None
        if self.factor_sets_file is not None:
            try:
                text = self.factor_sets_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                reason = getattr(error, "strerror", None) or str(error)
                raise ValueError(
                    f"FACTOR_SETS_FILE {self.factor_sets_file}: cannot read it ({reason})"
                ) from None
        try:
            return load_factor_sets(text, default_thresholds=thresholds)
        except FactorSetError as error:
            raise ValueError(f"FACTOR_SETS_FILE {self.factor_sets_file}: {error}") from None

    @model_validator(mode="after")
    def _policy_usable(self) -> Settings:
        self.reminder_policy()  # a broken POLICY_FILE stops start-up here, with the reason
        return self

    def rules(self) -> Rules:
        """Everything the rules are told, read once at start-up and carried on every turn and into the sweep."""
        return Rules.build(
            zone=self.zone,
            closures=self.closure_days,
            close_of_business=self.close_of_business,
            policy=self.reminder_policy(),
            factor_sets=self.factor_sets(),
            downloads=self.download_links(),
        )

    def download_links(self) -> DownloadLinks:
        """The signer of download links: PUBLIC_URL (loopback in local mode) and the key, see docs/security.md."""
        if self.download_key:
            key = self.download_key.encode("utf-8")
        elif self.local_mode:
            key = _PROCESS_DOWNLOAD_KEY
        else:  # every instance shares the app secret, so a link made by one is honoured by another
            key = derived_key(self.app_password)
        # Outside local mode the bot cannot guess the address Teams users reach: no PUBLIC_URL, no links.
        base_url = self.public_url or (f"http://127.0.0.1:{self.port}" if self.local_mode else "")
        return DownloadLinks(base_url, key, timedelta(minutes=self.download_minutes))

    @property
    def tab_audience(self) -> str:
        """The audience of the tab's SSO tokens: TAB_APP_ID_URI, else api://{PUBLIC_URL's host}/{app id}."""
        if self.tab_app_id_uri:
            return self.tab_app_id_uri
        host = urlsplit(self.public_url).netloc if self.public_url else ""
        return f"api://{host}/{self.app_id}" if host and self.app_id else ""

    def tab_session_key(self) -> bytes:
        """The key that signs the tab's session cookies: from DOWNLOAD_KEY or the app secret, like links."""
        secret = self.download_key or self.app_password
        return derived_key(secret, "tab sessions") if secret else _PROCESS_DOWNLOAD_KEY

    def reminder_policy(self) -> ReminderPolicy:
        """The packaged reminder policy with POLICY_FILE laid over it."""
        text = None
        if self.policy_file is not None:
            try:
                text = self.policy_file.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as error:
                reason = getattr(error, "strerror", None) or str(error)
                raise ValueError(f"POLICY_FILE {self.policy_file}: cannot read it ({reason})") from None
        try:
            return load_policy(text, f"POLICY_FILE {self.policy_file}")
        except PolicyError as error:
            raise ValueError(str(error)) from None

    @property
    def local_mode(self) -> bool:
        """No app id: no tokens checked or sent. For the Emulator, the console chat and tests."""
        return not self.app_id

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)
