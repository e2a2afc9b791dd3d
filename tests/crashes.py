"""A worker losing its database connection in the middle of a sweep."""


def crash_on_call(monkeypatch, module, name, call):
    """Make ``module.<name>`` raise ``ConnectionError`` on its ``call``-th call (the calls
    before it go through); returns the real function, to put back with ``monkeypatch``."""
    real, calls = getattr(module, name), []

    def crashing(*args, **kwargs):
        calls.append(args)
        if len(calls) == call:
            raise ConnectionError("worker lost its database connection")
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, crashing)
    return real
