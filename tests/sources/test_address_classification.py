"""Which addresses the fetcher refuses: a pure function, no packet is sent."""

import pytest

from tracker.checking.fetch import address_is_forbidden


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "127.0.0.2",
        "10.0.0.1",
        "172.16.5.4",
        "192.168.1.1",
        "169.254.169.254",  # cloud metadata service
        "100.64.0.1",  # carrier-grade NAT
        "0.0.0.0",
        "224.0.0.251",  # multicast
        "255.255.255.255",
        "240.0.0.1",  # reserved
        "198.18.0.1",  # benchmarking
        "::1",
        "::",
        "fe80::1",
        "fe80::1%eth0",
        "fc00::1",
        "fd12:3456::1",
        "ff02::1",
        "::ffff:10.0.0.1",  # IPv4-mapped
        "::ffff:127.0.0.1",
        "::ffff:169.254.169.254",
        "2002:a00:1::1",  # 6to4 around 10.0.0.1
        "64:ff9b::a00:1",  # NAT64 around 10.0.0.1
        "fd00:ec2::254",  # AWS metadata over IPv6
        "fec0::1",  # site-local: deprecated, still routed inside some networks
        "fec0:1234::5",
    ],
)
def test_forbidden_addresses(address):
    assert address_is_forbidden(address)


@pytest.mark.parametrize(
    "address",
    ["8.8.8.8", "1.1.1.1", "93.184.216.34", "2606:4700:4700::1111", "::ffff:8.8.8.8"],
)
def test_public_addresses_are_allowed(address):
    assert not address_is_forbidden(address)
