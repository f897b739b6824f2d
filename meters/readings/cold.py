"""The encoding of cold chunks: a device-day's timestamps and value columns packed into bytes, exactly.

Chosen from measurements on simulated SDM630 days (bench/cold_encodings.py, docs/readings-store.md):
- timestamps: integer microseconds since the epoch, the first as is and then the differences (a poll's
  steady interval makes them one repeated number), byte-shuffled, zstd;
- each value column: the 64 bits of each double XORed with the previous one's (slowly varying floats share
  sign, exponent and high mantissa bits, which become zero bytes), byte-shuffled, zstd level 9.
Everything works on the bits (uint64 views), so any double comes back bit for bit: NaN payloads, -0.0,
subnormals, infinities.

A chunk's bytes are the timestamps' block then one block per column; `offsets` holds where each block
ends, so one column is read with a `substring` that fetches only its part of the stored value.
"""

import numpy as np
import zstandard

LEVEL = 9
_compressor = zstandard.ZstdCompressor(level=LEVEL)
_decompressor = zstandard.ZstdDecompressor()


def times_pack(*, micros: np.ndarray) -> bytes:
    words = np.asarray(micros, dtype=np.int64)
    deltas = np.concatenate([words[:1], np.diff(words)]) if words.size else words
    return _compress(deltas.view(np.uint64))


def times_unpack(*, block: bytes) -> np.ndarray:
    """Epoch microseconds (int64) of a chunk's readings, ascending."""
    return np.cumsum(_decompress(block).view(np.int64), dtype=np.int64)


def column_pack(*, values: np.ndarray) -> bytes:
    words = np.ascontiguousarray(values, dtype=np.float64).view(np.uint64)
    xored = np.concatenate([words[:1], words[1:] ^ words[:-1]]) if words.size else words
    return _compress(xored)


def column_unpack(*, block: bytes) -> np.ndarray:
    return np.bitwise_xor.accumulate(_decompress(block)).view(np.float64)


def chunk_pack(*, micros: np.ndarray, matrix: np.ndarray) -> tuple[bytes, list[int]]:
    """A chunk's bytes and the end offset of each block (timestamps, then each column of `matrix`, whose
    rows are the readings in `micros` order)."""
    blocks = [times_pack(micros=micros)]
    blocks += [column_pack(values=column) for column in np.asarray(matrix, dtype=np.float64).T]
    return b"".join(blocks), np.cumsum([len(block) for block in blocks]).tolist()


def chunk_unpack(*, data: bytes, offsets: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """(micros, matrix with one row per reading) of a whole chunk."""
    starts = [0, *offsets[:-1]]
    micros = times_unpack(block=data[starts[0] : offsets[0]])
    bounds = zip(starts[1:], offsets[1:], strict=True)
    columns = [column_unpack(block=data[start:end]) for start, end in bounds]
    matrix = np.column_stack(columns) if columns else np.empty((micros.size, 0))
    return micros, matrix


def _compress(words: np.ndarray) -> bytes:
    # Byte planes: every word's lowest byte, then every second byte... equal high bytes become long runs.
    return _compressor.compress(words.view(np.uint8).reshape(-1, 8).T.tobytes())


def _decompress(block: bytes) -> np.ndarray:
    planes = np.frombuffer(_decompressor.decompress(block), dtype=np.uint8)
    return planes.reshape(8, -1).T.copy().view(np.uint64).ravel()
