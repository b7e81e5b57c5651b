"""A ZIP archive of parts deflated beforehand (PKWARE APPNOTE 6.3.10, no ZIP64), so that the
parts of a large workbook are compressed side by side: the compressor releases the interpreter
lock while it works, and :mod:`zipfile` writes one member at a time. DEFLATE is ISA-L's
(``isal``; a standard DEFLATE stream that zlib reads): at its level 1 three times as fast as
zlib's level 1 on worksheet XML, and a little smaller.

Members carry a fixed time stamp (1980-01-01 00:00), so the same content gives the same
bytes.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from isal import isal_zlib

__all__ = ["Deflated", "deflate", "zip_archive"]

_LIMIT = 0xFFFFFFFF  # beyond: ZIP64, not written here
_DOS_DATE, _DOS_TIME = (0 << 9) | (1 << 5) | 1, 0  # 1980-01-01 00:00
_VERSION = 20  # 2.0: deflate
_DEFLATE = 8
_FLUSH_BYTES = 1 << 20


@dataclass(frozen=True)
class Deflated:
    """One member: its name, its raw DEFLATE stream, the CRC-32 and size of its content."""

    name: str
    data: bytes
    crc: int
    size: int


def deflate(name: str, pieces: Iterable[bytes], level: int = 1) -> Deflated:
    """The member ``name`` holding the concatenation of ``pieces``, deflated at ``level``
    (ISA-L's levels 0 to 3) a megabyte at a time."""
    packer = isal_zlib.compressobj(level, isal_zlib.DEFLATED, -isal_zlib.MAX_WBITS)
    out: list[bytes] = []
    crc = size = pending_size = 0
    pending: list[bytes] = []
    for piece in pieces:
        pending.append(piece)
        pending_size += len(piece)
        if pending_size >= _FLUSH_BYTES:
            chunk = b"".join(pending)
            crc, size = isal_zlib.crc32(chunk, crc), size + len(chunk)
            out.append(packer.compress(chunk))
            pending, pending_size = [], 0
    chunk = b"".join(pending)
    crc, size = isal_zlib.crc32(chunk, crc), size + len(chunk)
    out += [packer.compress(chunk), packer.flush()]
    return Deflated(name, b"".join(out), crc, size)


def zip_archive(members: Sequence[Deflated]) -> bytes:
    """The ZIP file of ``members``, in their order (names ASCII and unique)."""
    names = [m.name for m in members]
    if len(set(names)) != len(names) or not all(n.isascii() for n in names):
        raise ValueError(f"member names must be unique and ASCII: {names}")
    body: list[bytes] = []
    directory: list[bytes] = []
    offset = 0
    for member in members:
        name = member.name.encode("ascii")
        if max(member.size, len(member.data), offset) > _LIMIT:
            raise ValueError(f"{member.name}: larger than a ZIP without ZIP64 holds")
        common = struct.pack(
            "<HHHHHIII",
            _VERSION,
            0,
            _DEFLATE,
            _DOS_TIME,
            _DOS_DATE,
            member.crc,
            len(member.data),
            member.size,
        )
        header = b"PK\x03\x04" + common + struct.pack("<HH", len(name), 0) + name
        directory.append(
            b"PK\x01\x02"
            + struct.pack("<H", _VERSION)
            + common
            + struct.pack("<HHHHHII", len(name), 0, 0, 0, 0, 0, offset)
            + name
        )
        body += [header, member.data]
        offset += len(header) + len(member.data)
    central = b"".join(directory)
    end = b"PK\x05\x06" + struct.pack(
        "<HHHHIIH", 0, 0, len(members), len(members), len(central), offset, 0
    )
    return b"".join(body) + central + end
