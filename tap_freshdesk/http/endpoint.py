"""Where the API key may be sent: the one place that turns settings into the API's base URL.

The key travels in every request's Authorization header, so the host it goes to must be exactly
the account the user meant. Anything unexpected in `domain` (a path, credentials, a port, a query)
is refused rather than guessed at, and plain http is only ever allowed to this machine.
"""

from __future__ import annotations

import ipaddress
import re
from urllib.parse import SplitResult, urlsplit

API_PATH = "/api/v2"

# A DNS name: dot-separated labels of letters, digits and inner hyphens.
_HOSTNAME = re.compile(
    r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


class EndpointError(ValueError):
    """A `domain` or `base_url` setting that cannot safely be turned into an API URL."""


def api_base_url(domain: str | None, base_url: str | None) -> str:
    """Return the API base URL, without a trailing slash, from the `domain`/`base_url` settings.

    `base_url` wins when both are given: it exists for proxies and for tests against a local
    simulator, so it may be plain http, but only for a loopback host.
    """
    if base_url:
        return _checked_base_url(base_url)
    if domain:
        return f"https://{_account_host(domain)}{API_PATH}"
    msg = "Set `domain` (e.g. `acme` for acme.freshdesk.com) or `base_url`."
    raise EndpointError(msg)


def is_loopback(host: str) -> bool:
    """Tell whether `host` names this machine (localhost, 127.0.0.0/8 or ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _account_host(domain: str) -> str:
    """Accept `acme`, `acme.freshdesk.com`, `https://acme.freshdesk.com[/]` or a custom domain."""
    text = domain.strip()
    parts = _split("domain", text if "://" in text else f"https://{text}")
    if parts.scheme != "https":
        msg = f"`domain` must use https, not {parts.scheme!r}: Freshdesk only serves https."
        raise EndpointError(msg)
    if parts.username or parts.password or parts.port or parts.query or parts.fragment:
        msg = "`domain` must be a bare host name such as acme.freshdesk.com."
        raise EndpointError(msg)
    if parts.path.rstrip("/") not in {"", API_PATH}:
        msg = f"`domain` must not contain a path ({parts.path!r}); use `base_url` for a proxy."
        raise EndpointError(msg)
    text = parts.hostname or ""
    host = text.lower().rstrip(".")
    if not _HOSTNAME.match(host):
        msg = (
            f"`domain` {domain!r} is not a host name: use your Freshdesk subdomain (acme), "
            "its full name (acme.freshdesk.com) or your custom helpdesk domain."
        )
        raise EndpointError(msg)
    return host if "." in host else f"{host}.freshdesk.com"


def _checked_base_url(base_url: str) -> str:
    parts = _split("base_url", base_url.strip())
    host = parts.hostname or ""
    if parts.scheme not in {"https", "http"} or not host:
        msg = f"`base_url` must be an absolute http(s) URL such as https://acme.freshdesk.com{API_PATH}."
        raise EndpointError(msg)
    if parts.scheme == "http" and not is_loopback(host):
        msg = (
            f"`base_url` uses plain http to {host}: the API key would travel unencrypted. "
            "Use https (http is accepted only for 127.0.0.1, ::1 and localhost)."
        )
        raise EndpointError(msg)
    if parts.username or parts.password or parts.query or parts.fragment:
        msg = "`base_url` must not carry credentials, a query or a fragment."
        raise EndpointError(msg)
    return f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}"


def _split(setting: str, url: str) -> SplitResult:
    """Split `url`, refusing what urllib only notices lazily or requests at the first call.

    A port out of range or not a number (`host:abc`), an unclosed or invalid IPv6 literal
    would otherwise fail at the first request, with a traceback instead of the setting's name.
    """
    try:
        parts = urlsplit(url)
        _ = parts.port
    except ValueError as exc:
        msg = f"`{setting}` is not a valid URL or host name ({exc})."
        raise EndpointError(msg) from None
    return parts
