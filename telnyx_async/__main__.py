"""``python -m telnyx_async``: the same command line as ``telnyx-async``."""

from telnyx_async.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
