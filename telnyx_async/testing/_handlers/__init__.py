"""The fake's handlers, one module per resource group.

Each handler is a plain function ``handler(state, call) -> Reply``: it reads
and changes a :class:`~telnyx_async.testing._state.FakeState` and raises
:class:`~telnyx_async.testing._errors.ApiError` to answer with an error. The
route table in ``_routes.py`` says which handler serves which operation.
"""
