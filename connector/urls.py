"""Service URLs as the HTTP client reads them (yarl, aiohttp's own parser): usable, and whether loopback."""

from __future__ import annotations

import ipaddress

from yarl import URL

MAX_SERVICE_URL = 400


def service_url_problem(value: object) -> str | None:
    """Why the Bot Connector cannot be called at `value`, or None when it can.

    Read with the parser the client uses, so a URL that passes here is one aiohttp will connect to:
    http or https, a host, a port in range, and no user name, query or fragment to smuggle a host in.
    """
    if not isinstance(value, str) or not value:
        return "it is missing"
    if len(value) > MAX_SERVICE_URL:
        return f"it is longer than {MAX_SERVICE_URL} characters"
    try:
        url = URL(value)
        port = url.port
    except ValueError:
        return "it is not a URL the client can open (a bad port, or a character not allowed in a host)"
    if url.scheme not in ("http", "https") or not url.host:
        return "it must be an http or https address with a host"
    if url.user is not None or url.password is not None:
        return "it must not carry a user name or password"
    if url.query_string or url.fragment:
        return "it must not carry a query or fragment"
    if port is None or not 0 < port < 65536:
        return "its port is out of range"
    return None


def is_loopback(value: str) -> bool:
    """True when the URL's host is this machine (localhost, 127.0.0.0/8 or ::1), as the client reads it."""
    try:
        host = URL(value).host or ""
    except ValueError:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
