"""MkDocs hooks for this site (listed under ``hooks:`` in ``mkdocs.yml``).

``PENDING_PAGES`` are guides other people are writing right now. They are in
the nav so that they show up the moment they land; until a file exists, its nav
entry is dropped with an INFO message instead of failing ``mkdocs build
--strict``. Any other missing page still fails the build as usual.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

log = logging.getLogger("mkdocs.hooks.pending_pages")

PENDING_PAGES = frozenset({"orchestration.md", "cli.md", "performance.md", "reliability.md"})


def _prune(nav: Any, docs_dir: Path) -> Any:
    if isinstance(nav, list):
        kept = [_prune(item, docs_dir) for item in nav]
        return [item for item in kept if item is not None]
    if isinstance(nav, dict):
        pruned = {key: _prune(value, docs_dir) for key, value in nav.items()}
        return {k: v for k, v in pruned.items() if v is not None} or None
    if isinstance(nav, str) and nav in PENDING_PAGES and not (docs_dir / nav).is_file():
        log.info("nav: %s is not written yet; leaving it out of this build", nav)
        return None
    return nav


def on_config(config: Any, **kwargs: Any) -> Any:
    """Drop nav entries of pending pages that do not exist yet."""
    if config.get("nav"):
        config["nav"] = _prune(config["nav"], Path(config["docs_dir"]))
    return config
