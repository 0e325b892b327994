"""The benchmark framing with asyncio streams: a 4-byte big-endian length, then the payload."""

import asyncio
import struct

HEADER = struct.Struct("!I")
MAX_PAYLOAD_SIZE = 1 << 20


def frame(payload: bytes) -> bytes:
    """One whole frame: the length header, then the payload."""
    return HEADER.pack(len(payload)) + payload


async def read_frame(reader: asyncio.StreamReader) -> bytes:
    """Reads one frame and returns its payload.

    Raises asyncio.IncompleteReadError at the end of the stream, and ValueError for a
    header over MAX_PAYLOAD_SIZE.
    """
    (length,) = HEADER.unpack(await reader.readexactly(HEADER.size))
    if length > MAX_PAYLOAD_SIZE:
        raise ValueError(f"a {length}-byte frame is over the limit")
    return await reader.readexactly(length)
