"""IPv4 addresses for the course: classes A-E, special ranges, subnets, VLSM and binary views.

Pure functions and frozen value types, stdlib only (sans-I/O). Built on
``ipaddress`` where it is right and on the course's own tables where it is
not (``ipaddress.is_private`` is not RFC 1918; /31 follows RFC 3021; /32 is
one host). Errors are :class:`netedu.errors.AddressError` with one line that
teaches.

>>> from netedu.addr import subnet_info, same_subnet
>>> subnet_info("192.168.1.130/26").network
'192.168.1.128'
>>> same_subnet("10.0.0.1", "10.0.1.1", 16)
True
>>> subnet_info("10.0.300.1/8")
Traceback (most recent call last):
...
netedu.errors.AddressError: Octet 300 (> 255) not permitted in '10.0.300.1'
"""

from __future__ import annotations

from netedu.addr.classes import (
    CLASS_TABLE,
    PRIVATE_RANGES,
    SPECIAL_RANGES,
    AddressClass,
    AddressClassInfo,
    SpecialRange,
    address_class,
    class_table_text,
    classify,
    is_rfc1918,
    special_label,
    special_ranges_text,
)
from netedu.addr.parse import (
    dotted_binary,
    mask_to_prefix,
    parse_address,
    parse_network,
    parse_prefix,
    prefix_to_mask,
)
from netedu.addr.plan import (
    MAX_SUBNETS,
    VlsmPlan,
    VlsmRow,
    prefix_for_hosts,
    split_network,
    summarize,
    supernet,
    vlsm_plan,
)
from netedu.addr.quiz import KINDS, Question, judge, make_question, questions
from netedu.addr.subnet import (
    SubnetInfo,
    binary_parts,
    binary_view,
    same_subnet,
    subnet_info,
    usable_hosts,
)

__all__ = [
    # parse
    "parse_address",
    "parse_prefix",
    "parse_network",
    "prefix_to_mask",
    "mask_to_prefix",
    "dotted_binary",
    # classes and special ranges
    "AddressClass",
    "AddressClassInfo",
    "SpecialRange",
    "CLASS_TABLE",
    "PRIVATE_RANGES",
    "SPECIAL_RANGES",
    "address_class",
    "classify",
    "is_rfc1918",
    "special_label",
    "class_table_text",
    "special_ranges_text",
    # subnets
    "SubnetInfo",
    "subnet_info",
    "usable_hosts",
    "binary_view",
    "binary_parts",
    "same_subnet",
    # planning
    "MAX_SUBNETS",
    "split_network",
    "prefix_for_hosts",
    "VlsmRow",
    "VlsmPlan",
    "vlsm_plan",
    "summarize",
    "supernet",
    # practice questions
    "KINDS",
    "Question",
    "make_question",
    "questions",
    "judge",
]
