"""Side-by-side benchmarks: telnyx_async vs the official ``telnyx`` SDK vs raw aiohttp.

See ``benchmarks/README.md``; ``nox -s bench`` runs them.
"""
