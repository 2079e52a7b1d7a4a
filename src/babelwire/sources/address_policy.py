"""Which network addresses the fetcher may connect to: public ones, plus what the user allows.

Why: ingest fetches the URLs it is given and every URL a server redirects it
to. Unchecked, a feed or a redirect could aim the fetcher at this machine
(127.0.0.1), the local network (10.x, 192.168.x) or a cloud metadata service
(169.254.169.254, fd00:ec2::254) that hands out credentials, and the answer
would be stored and served to whoever reads the store (server-side request
forgery, SSRF). So the check runs on the addresses a name *resolves to*, not
on the name, and `fetch` connects to exactly the address it checked (DNS
rebinding cannot swap it between check and connect).

The allow-list (``ingest.fetch_allow``: networks such as ``127.0.0.1/32`` or
``10.1.0.0/16``) is the deliberate override for local feeds and test servers.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass

from ..errors import ConfigError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

METADATA_ADDRESSES: frozenset[IPAddress] = frozenset(ipaddress.ip_address(a) for a in (
    "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean...
    "fd00:ec2::254",  # AWS over IPv6
    "169.254.170.2",  # AWS ECS task credentials
    "100.100.100.200",  # Alibaba Cloud
))
"""Cloud metadata services, named apart in refusals: they are the usual target of SSRF."""
SHARED_ADDRESS_SPACE = ipaddress.ip_network("100.64.0.0/10")  # carrier-grade NAT (RFC 6598)
NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")  # IPv4 addresses embedded in IPv6 (RFC 6052)


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    """Refuses every non-public address unless it lies in one of the ``allowed`` networks."""

    allowed: tuple[IPNetwork, ...] = ()

    @classmethod
    def from_settings(cls, entries: Iterable[str]) -> AddressPolicy:
        """The policy for ``ingest.fetch_allow`` entries (CIDR networks or single addresses)."""
        networks = []
        for entry in entries:
            try:
                networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError as error:
                raise ConfigError(
                    f"ingest.fetch_allow: {entry!r} is not an IP network ({error}); write"
                    " addresses or CIDR networks such as '127.0.0.1/32' or '10.1.0.0/16'"
                ) from error
        return cls(tuple(networks))

    def refusal(self, address: IPAddress) -> str | None:
        """Why ``address`` may not be fetched (e.g. "a private address"), or None if it may."""
        if any(_within(address, network) for network in self.allowed):
            return None
        return non_public_kind(address)


def non_public_kind(address: IPAddress) -> str | None:
    """What kind of non-public address this is, or None for a public (global unicast) one.

    IPv4 addresses wrapped in IPv6 (``::ffff:127.0.0.1``, 6to4, NAT64) are judged
    by the IPv4 address inside: that is where the packets go.
    """
    address = _embedded_ipv4(address) or address
    checks: tuple[tuple[bool, str], ...] = (
        (address in METADATA_ADDRESSES, "a cloud metadata address"),
        (address.is_loopback, "a loopback address (this machine)"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_unspecified, "the unspecified address"),
        (address in SHARED_ADDRESS_SPACE, "a shared (carrier-grade NAT) address"),
        (address.is_reserved, "a reserved address"),
        (address.is_private, "a private address"),
        (not address.is_global, "a special-purpose (non-public) address"),
    )
    return next((kind for refused, kind in checks if refused), None)


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def _within(address: IPAddress, network: IPNetwork) -> bool:
    inner = _embedded_ipv4(address)
    return address in network or (inner is not None and inner in network)


def resolve(host: str, port: int) -> list[IPAddress]:
    """The addresses ``host`` resolves to, in the order the system prefers them.

    An address literal resolves to itself without a DNS query. Raises OSError
    (``socket.gaierror``) when the name does not resolve.
    """
    try:
        return [ipaddress.ip_address(host.strip("[]"))]
    except ValueError:
        pass
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM):
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in found:
            found.append(address)
    return found
