"""A griffe extension: render the package's RST-flavoured docstrings as clean Markdown.

The docstrings are written to read well in ``help()`` and in an editor, in the
reStructuredText habits of the Python world: ``double backticks`` for code,
``:class:`~telnyx_async.Timeout``` style roles, and ``::`` before an indented
example. Markdown already renders double backticks as code; this extension
handles the other two before mkdocstrings renders a docstring:

* a role becomes a code span of its target, shortened like Sphinx does for
  ``~`` (``:class:`~telnyx_async.Timeout``` -> ``Timeout``); never a link, so
  a role naming something that is not on the site cannot break the build;
* a paragraph ending in ``::`` followed by an indented block becomes the
  paragraph (ending in ``:``) and a fenced ``python`` code block.

Loaded by ``mkdocs.yml`` (``plugins.mkdocstrings.handlers.python.options.extensions``).
"""

from __future__ import annotations

import re
import textwrap
from typing import Any

import griffe

_ROLE = re.compile(r":(?:py:)?(?:class|meth|func|attr|data|mod|exc|obj|const|term):`([^`]+)`")


def _role_text(match: re.Match[str]) -> str:
    target = match.group(1).strip()
    titled = re.fullmatch(r"(.+?)\s*<(.+)>", target)
    if titled:
        return f"`{titled.group(1)}`"
    if target.startswith("~"):
        target = target[1:].rsplit(".", 1)[-1]
    return f"`{target}`"


def _literal_blocks(text: str) -> str:
    """Turn RST ``::`` literal blocks into fenced Markdown code blocks."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.rstrip().endswith("::") and i + 1 < len(lines) and not lines[i + 1].strip():
            stripped = line.rstrip()[:-1]  # "text::" -> "text:"
            if stripped.strip() == ":":
                stripped = ""
            block: list[str] = []
            j = i + 1
            while j < len(lines) and (not lines[j].strip() or lines[j].startswith((" ", "\t"))):
                block.append(lines[j])
                j += 1
            while block and not block[-1].strip():
                block.pop()
            if block and any(b.strip() for b in block):
                if stripped.strip():
                    out.append(stripped)
                out.append("")
                out.append("```python")
                out.extend(textwrap.dedent("\n".join(block)).strip("\n").splitlines())
                out.append("```")
                out.append("")
                i = j
                continue
        out.append(line)
        i += 1
    return "\n".join(out)


def markdown_docstring(text: str) -> str:
    """The Markdown version of one RST-flavoured docstring."""
    return _literal_blocks(_ROLE.sub(_role_text, text))


class RstRoles(griffe.Extension):
    """Rewrite every docstring as it is loaded (see the module docstring)."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        docstring = obj.docstring
        if docstring is not None:
            docstring.value = markdown_docstring(docstring.value)
