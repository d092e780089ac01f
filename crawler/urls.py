"""URL canonicalisation: one spelling per article, so the same page under two URLs is one record.

`canonical_url` runs w3lib's `canonicalize_url` (dot segments resolved, percent-encoding
normalised to upper-case UTF-8 escapes, raw non-ASCII characters percent-encoded, query sorted,
fragment dropped), then lower-cases the host, drops the default port and removes tracking
parameters (the table `TRACKING_PARAMS` / `TRACKING_PREFIXES`). The path keeps its case: many
government CMSs serve `/Html/...` and `/html/...` as different pages.
"""

from __future__ import annotations

from urllib.parse import unquote, urlsplit, urlunsplit

from w3lib.url import canonicalize_url

TRACKING_PARAMS: frozenset[str] = frozenset(
    {
        "spm",
        "from",
        "isappinstalled",
        "share_token",
        "share_from",
        "sharetype",
        "share_type",
        "scene",
        "clicktime",
        "timestamp",
        "wxshare_count",
        "fbclid",
        "gclid",
        "yclid",
        "msclkid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "igshid",
        "ref_src",
        "tt_from",
        "tt_medium",
        "vd_source",
        "s_trans",
        "s_channel",
    }
)
TRACKING_PREFIXES: tuple[str, ...] = ("utm_", "pk_", "mtm_")
DEFAULT_PORTS: dict[str, str] = {"http": "80", "https": "443"}


def is_tracking_param(name: str) -> bool:
    """True for a query parameter that only tracks the click and never selects content."""
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


def _split_port(hostport: str) -> tuple[str, str]:
    """Split `host:port` (IPv6 hosts in brackets) into host and port; port may be empty."""
    host, sep, port = hostport.rpartition(":")
    if not sep or not port.isdigit() or (host.startswith("[") and not host.endswith("]")):
        return hostport, ""
    return host, port


def _netloc(scheme: str, netloc: str) -> str:
    """Lower-case host without a trailing dot, and no port when it is the scheme's default."""
    userinfo, _, hostport = netloc.rpartition("@")
    host, port = _split_port(hostport)
    host = host.lower().rstrip(".")
    if port == DEFAULT_PORTS[scheme]:
        port = ""
    return (f"{userinfo}@" if userinfo else "") + host + (f":{port}" if port else "")


def canonical_url(url: str) -> str:
    """The canonical spelling of `url` (see the module docstring). Non-HTTP URLs such as
    `file://` keep their path and only lose the fragment."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        return urlunsplit((scheme, parts.netloc.lower(), parts.path, parts.query, ""))
    parts = urlsplit(canonicalize_url(url))
    query = "&".join(
        pair for pair in parts.query.split("&")
        if pair and not is_tracking_param(unquote(pair.partition("=")[0]))
    )
    return urlunsplit((scheme, _netloc(scheme, parts.netloc), parts.path or "/", query, ""))
