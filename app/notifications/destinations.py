"""Where webhooks may go: not into the bank's own network unless the installation allows it.

An admin (or a stolen admin token) registering `http://127.0.0.1:5432/` or the cloud's metadata
address would otherwise make the worker a proxy into internal services. Unless
`BOOKME_WEBHOOK_ALLOW_PRIVATE` is on, registration refuses a host that is a loopback, private,
link-local or otherwise non-public address (or `localhost`), and delivery resolves the host
and refuses when any of its addresses is one. A name that resolves differently between that
check and the connection (DNS rebinding) is not caught here: a bank that needs that should send
webhooks through an egress proxy.
"""

from __future__ import annotations

import ipaddress
import socket

from flask import current_app


def allowed_private() -> bool:
    """Whether internal addresses are allowed (tests, or receivers inside the bank's network)."""
    return bool(current_app.config.get("BOOKME_WEBHOOK_ALLOW_PRIVATE"))


def internal_literal(host: str) -> bool:
    """The host names this machine or an internal address by itself, without DNS."""
    name = host.strip("[]").rstrip(".").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return not _public(ipaddress.ip_address(name))
    except ValueError:
        return False  # a name: checked when it is resolved at delivery


def resolves_internal(host: str, port: int) -> bool:
    """Any address the host resolves to is internal (or it does not resolve at all)."""
    if internal_literal(host):
        return True
    try:
        infos = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return True
    return any(not _public(ipaddress.ip_address(str(info[4][0]).split("%")[0])) for info in infos)


def _public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast
