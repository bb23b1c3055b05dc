"""Tests of telnyx_async.testing (FakeTelnyx) over raw HTTP."""
