"""The kill switch for real network calls: tests turn it on, nothing else needs to.

When on, a client whose base URL is not on loopback (127.0.0.0/8, `localhost`, ::1)
refuses to be built, and refuses to send if the switch was turned on after it was built.
The switch is on when `forbid_real_network()` was called in this process or the
environment has `IDSYNTH_FORBID_NETWORK` set to anything but "", "0" or "false".
"""

from __future__ import annotations

import ipaddress
import os
from urllib.parse import urlsplit

from .types import LLMError

ENV_VAR = "IDSYNTH_FORBID_NETWORK"

_forbidden = False


def forbid_real_network(forbid: bool = True) -> None:
    """Turn the process-wide switch on (or back off; the environment variable still counts)."""
    global _forbidden
    _forbidden = forbid


def real_network_forbidden() -> bool:
    return _forbidden or os.environ.get(ENV_VAR, "").strip().lower() not in ("", "0", "false")


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").rstrip(".").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        ip = ipaddress.ip_address(host)
    except ValueError:
        return False  # a DNS name other than localhost: it could resolve anywhere
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_loopback


def check_network(url: str) -> None:
    """Raise `LLMError` if the switch is on and `url` leaves this machine."""
    if real_network_forbidden() and not is_loopback(url):
        raise LLMError(
            f"real network calls are disabled ({ENV_VAR} or forbid_real_network()); "
            f"refusing to talk to {url!r} — only loopback base URLs are allowed"
        )
