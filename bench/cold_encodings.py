"""Encodings for packing cold readings, measured on realistic data: BENCH_ENCODING_DAYS (default 2) days of
one SDM630's simulated readings every 30 s (float32 register values, as a poll stores them), each day packed
column by column as a compressed chunk would be.

Prints bytes per value and compression time per value for each encoding and zstd level, and the bytes of a
day's delta-encoded timestamps. Every encoding is checked to decode bit for bit.
"""

import os
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pieng.settings")

import django

django.setup()

import numpy as np  # noqa: E402
import zstandard  # noqa: E402

from bench.readings_data import sdm630_days  # noqa: E402

DAYS = int(os.environ.get("BENCH_ENCODING_DAYS", "2"))
LEVELS = (3, 9, 19)


def _shuffle(words: np.ndarray) -> bytes:
    """Byte planes: every value's first byte, then every second byte... slowly varying floats share
    their sign, exponent and high mantissa bytes, so those planes are long runs."""
    return words.view(np.uint8).reshape(-1, 8).T.tobytes()


def _unshuffle(planes: bytes) -> np.ndarray:
    return np.frombuffer(planes, dtype=np.uint8).reshape(8, -1).T.copy().view(np.uint64).ravel()


def _xor(column: np.ndarray) -> np.ndarray:
    words = column.view(np.uint64)
    return np.concatenate([words[:1], words[1:] ^ words[:-1]])


def _unxor(words: np.ndarray) -> np.ndarray:
    return np.bitwise_xor.accumulate(words).view(np.float64)


def _delta(column: np.ndarray) -> np.ndarray:
    words = column.view(np.uint64)
    return np.concatenate([words[:1], words[1:] - words[:-1]])


def _undelta(words: np.ndarray) -> np.ndarray:
    return np.cumsum(words, dtype=np.uint64).view(np.float64)


ENCODINGS: dict[str, tuple[Callable[[np.ndarray], bytes], Callable[[bytes], np.ndarray]]] = {
    "zstd of the raw doubles": (
        lambda column: column.tobytes(),
        lambda raw: np.frombuffer(raw, dtype=np.float64),
    ),
    "byte-shuffle + zstd": (
        lambda column: _shuffle(column.view(np.uint64)),
        lambda raw: _unshuffle(raw).view(np.float64),
    ),
    "XOR with previous + byte-shuffle + zstd": (
        lambda column: _shuffle(_xor(column)),
        lambda raw: _unxor(_unshuffle(raw)),
    ),
    "delta of the bits + byte-shuffle + zstd": (
        lambda column: _shuffle(_delta(column)),
        lambda raw: _undelta(_unshuffle(raw)),
    ),
}


def main() -> None:
    days = list(sdm630_days(start=datetime(2025, 3, 1, 3, tzinfo=UTC), days=DAYS))
    values = sum(matrix.size for _, _, matrix in days)
    print("== cold chunk encodings ==")
    print(f"workload: {DAYS} days of 1 SDM630, {len(days[0][1])} metrics every 30 s = {values:,} values,")
    print("  float32 register values stored as float64; one chunk per day, each column compressed alone")
    for level in LEVELS:
        compressor, decompressor = zstandard.ZstdCompressor(level=level), zstandard.ZstdDecompressor()
        for name, (encode, decode) in ENCODINGS.items():
            size, seconds = 0, 0.0
            for _, _, matrix in days:
                for column in np.ascontiguousarray(matrix.T):
                    began = time.perf_counter()
                    packed = compressor.compress(encode(column))
                    seconds += time.perf_counter() - began
                    size += len(packed)
                    back = decode(decompressor.decompress(packed))
                    assert back.tobytes() == column.tobytes(), name
            print(
                f"  zstd level {level:2}, {name}: {size / values:.2f} bytes/value,"
                f" {seconds / values * 1e9:,.0f} ns/value to compress"
            )
    compressor = zstandard.ZstdCompressor(level=9)
    stamps = np.array([moment.timestamp() * 1_000_000 for moment in days[0][0]], dtype=np.int64)
    deltas = np.concatenate([stamps[:1], np.diff(stamps)])
    print(f"  a day's {stamps.size:,} timestamps, delta-encoded + byte-shuffle + zstd: ", end="")
    print(f"{len(compressor.compress(_shuffle(deltas.view(np.uint64))))} bytes")


if __name__ == "__main__":
    main()
