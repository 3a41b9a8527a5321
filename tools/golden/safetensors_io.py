"""Minimal safetensors writer and reader for the golden-fixture scripts (torch and numpy only).

Format: an unsigned little-endian 64-bit header length N, N bytes of UTF-8 JSON, then the data
section. The JSON maps each tensor name to {"dtype", "shape", "data_offsets": [begin, end]} (byte
offsets into the data section, end exclusive) and may hold "__metadata__", a string-to-string map.

This writer lays the data out in the dict's insertion order but writes the JSON keys sorted, the
way the reference implementation's JSON ends up unordered, so a reader must order tensors by their
offsets and not by header position. The header is padded with spaces to a multiple of 8 bytes.
"""

import json
import os
import struct
import tempfile

import numpy as np
import torch

_DTYPES = {
    torch.float32: ("F32", 4),
    torch.float16: ("F16", 2),
    torch.bfloat16: ("BF16", 2),
    torch.float64: ("F64", 8),
    torch.int64: ("I64", 8),
    torch.int32: ("I32", 4),
    torch.int16: ("I16", 2),
    torch.int8: ("I8", 1),
    torch.uint8: ("U8", 1),
    torch.bool: ("BOOL", 1),
}
_NUMPY = {"F32": "<f4", "F16": "<f2", "F64": "<f8", "I64": "<i8", "I32": "<i4",
          "I16": "<i2", "I8": "i1", "U8": "u1", "BOOL": "?"}


def _to_bytes(t):
    t = t.detach().contiguous().cpu()
    if t.dtype == torch.bfloat16:
        # numpy has no bfloat16; the raw 16-bit patterns are what the file holds.
        return t.view(torch.int16).numpy().astype("<i2").tobytes()
    return t.numpy().astype(_NUMPY[_DTYPES[t.dtype][0]]).tobytes()


def encode(tensors, metadata=None):
    """Returns the bytes of a safetensors file holding `tensors` (a dict name -> torch.Tensor)."""
    header = {}
    if metadata:
        for k, v in metadata.items():
            if not isinstance(k, str) or not isinstance(v, str):
                raise TypeError(f"metadata must map str to str, got {k!r}: {v!r}")
        header["__metadata__"] = dict(metadata)
    chunks = []
    offset = 0
    for name, t in tensors.items():
        if t.dtype not in _DTYPES:
            raise TypeError(f"tensor {name!r}: unsupported dtype {t.dtype}")
        data = _to_bytes(t)
        header[name] = {"dtype": _DTYPES[t.dtype][0], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    raw = json.dumps(header, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    raw += b" " * (-len(raw) % 8)
    return struct.pack("<Q", len(raw)) + raw + b"".join(chunks)


def save(path, tensors, metadata=None):
    """Writes `tensors` to `path` atomically (temporary file in the same directory, then rename)."""
    content = encode(tensors, metadata)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path), suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(content)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return len(content)


def load(path):
    """Reads a file written by `save` (or any valid safetensors file). Returns (tensors, metadata)."""
    with open(path, "rb") as f:
        content = f.read()
    (n,) = struct.unpack("<Q", content[:8])
    header = json.loads(content[8:8 + n].decode("utf-8"))
    metadata = header.pop("__metadata__", {})
    data = content[8 + n:]
    tensors = {}
    for name, info in sorted(header.items(), key=lambda kv: kv[1]["data_offsets"][0]):
        begin, end = info["data_offsets"]
        dtype = info["dtype"]
        if dtype == "BF16":
            arr = np.frombuffer(data[begin:end], dtype="<i2").copy()
            t = torch.from_numpy(arr).view(torch.bfloat16)
        else:
            t = torch.from_numpy(np.frombuffer(data[begin:end], dtype=_NUMPY[dtype]).copy())
        tensors[name] = t.reshape(info["shape"])
    return tensors, metadata
