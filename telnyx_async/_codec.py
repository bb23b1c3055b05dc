"""Ties the models to the wire rules, loading cattrs only when it is needed.

Reading JSON into models needs only :mod:`telnyx_async._structure`; writing
models out (request bodies, ``Model.to_dict``), and reading the few types
``_structure`` leaves to cattrs, need the cattrs converter
(:mod:`telnyx_async._converter`). This module gives each side what it needs
from the other: ``Model.from_dict``/``to_dict`` their codec, ``_structure`` the
converter's hook lookup, and everyone :func:`unstructure`. The converter is
imported the first time one of those calls reaches it, so ``import
telnyx_async`` and a first retrieve never load cattrs.
"""

from __future__ import annotations

from typing import Any

from telnyx_async._structure import Hook, install_fallback, structure
from telnyx_async.models._base import install_codec

__all__ = ["converter_hook", "unstructure"]


def unstructure(obj: Any) -> Any:
    """Turn a model (or a value holding models) into JSON-ready data, API names and all."""
    from telnyx_async._converter import unstructure as converter_unstructure

    return converter_unstructure(obj)


def converter_hook(tp: Any) -> Hook:
    """The cattrs converter's structure hook for ``tp`` (for types ``_structure`` leaves)."""
    from telnyx_async._converter import converter

    hook: Hook = converter.get_structure_hook(tp)
    return hook


class _Codec:
    """What ``Model.from_dict`` and ``Model.to_dict`` call."""

    def structure(self, data: Any, cls: Any) -> Any:
        return structure(data, cls)

    def unstructure(self, obj: Any) -> Any:
        return unstructure(obj)


install_codec(_Codec())
install_fallback(converter_hook)
