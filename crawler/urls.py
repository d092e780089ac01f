"""URL canonicalisation: one spelling per article, so the same page under two URLs is one record.

`canonical_url` lower-cases scheme and host, drops the default port, the fragment and tracking
parameters (the table `TRACKING_PARAMS` / `TRACKING_PREFIXES`), and sorts what query remains.
The path keeps its case: many government CMSs serve `/Html/...` and `/html/...` as different pages.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

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


def canonical_url(url: str) -> str:
    """The canonical spelling of `url` (see the module docstring). Non-HTTP URLs such as
    `file://` keep their path and only lose the fragment."""
    url = url.strip()
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    netloc = parts.netloc
    if scheme in DEFAULT_PORTS:
        userinfo, _, hostport = netloc.rpartition("@")
        host, port = _split_port(hostport)
        host = host.lower().rstrip(".")
        if port == DEFAULT_PORTS[scheme]:
            port = ""
        netloc = (f"{userinfo}@" if userinfo else "") + host + (f":{port}" if port else "")
    else:
        netloc = netloc.lower()
    path = parts.path or ("/" if scheme in DEFAULT_PORTS else "")
    query_items = [
        (name, value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
        if not is_tracking_param(name)
    ]
    query_items.sort()
    query = urlencode(query_items, doseq=False, safe="/:@,")
    return urlunsplit((scheme, netloc, path, query, ""))
