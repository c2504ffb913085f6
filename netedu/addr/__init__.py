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

from netedu.addr import classes as _classes
from netedu.addr import parse as _parse
from netedu.addr import plan as _plan
from netedu.addr import quiz as _quiz
from netedu.addr import subnet as _subnet

# Everything each part exports, in the order parse, classes, subnet, planning,
# practice questions; each submodule's own __all__ is the one list to edit.
__all__ = [*_parse.__all__, *_classes.__all__, *_subnet.__all__, *_plan.__all__, *_quiz.__all__]
del _classes, _parse, _plan, _quiz, _subnet
