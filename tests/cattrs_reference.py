"""The reference the generated structure functions are held to: cattrs on its own.

Inside ``cattrs_only()`` the converter forgets the functions that
``scripts/gen_models.py`` wrote: every model is structured by a function cattrs
generates at run time from the attrs fields (with the converter's renames,
scalar, enum, list and union rules). Whatever the generated code accepts,
rejects or builds must match what this reference does.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from telnyx_async import _converter, _structure
from telnyx_async.models._base import STRUCTURERS


def _forget_hooks() -> None:
    # cattrs and _structure cache the hook of every type they have seen; the
    # factories capture the hooks of nested types. Dropping both caches rebuilds
    # all of them.
    _converter.converter._structure_func.clear_cache()
    _structure._HOOKS.clear()


@contextlib.contextmanager
def cattrs_only() -> Iterator[None]:
    """Structure with cattrs-generated functions only, then restore the generated ones."""
    saved = dict(STRUCTURERS)
    STRUCTURERS.clear()
    _forget_hooks()
    try:
        yield
    finally:
        STRUCTURERS.update(saved)
        _forget_hooks()
