"""Settings read from the environment and `.env`, checked once at start-up."""

from __future__ import annotations

import ipaddress
from datetime import time
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AliasChoices, Field, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

PUBLIC_OPENID_METADATA = "https://login.botframework.com/v1/.well-known/openidconfiguration"
PUBLIC_TOKEN_ISSUER = "https://api.botframework.com"
PUBLIC_LOGIN_URL = "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"
BOT_FRAMEWORK_SCOPE = "https://api.botframework.com/.default"


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
    max_body_bytes: int = Field(
        256 * 1024, ge=1024, le=16 * 1024 * 1024, validation_alias=_alias("MAX_BODY_BYTES")
    )
    outbound_timeout_seconds: float = Field(10.0, gt=0, le=120, validation_alias=_alias("OUTBOUND_TIMEOUT"))
    demo_portfolio: Path | None = Field(None, validation_alias=_alias("DEMO_PORTFOLIO"))
    log_level: str = Field("INFO", validation_alias=_alias("LOG_LEVEL"))

    @field_validator("allowed_tenants", mode="before")
    @classmethod
    def _split_tenants(cls, value: object) -> object:
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

    @field_validator("openid_metadata_url", "login_url")
    @classmethod
    def _https_or_loopback(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"{value!r} is not an http(s) URL")
        if parts.scheme == "http" and not is_loopback(value):
            raise ValueError(f"{value!r} must use https (plain http is allowed only on loopback)")
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

    @property
    def local_mode(self) -> bool:
        """No app id: no tokens checked or sent. For the Emulator, the console chat and tests."""
        return not self.app_id

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def is_loopback(url: str) -> bool:
    """True when the URL's host is this machine (localhost, 127.0.0.0/8 or ::1)."""
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
