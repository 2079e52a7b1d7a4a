"""Without its services a scale-out test skips on a developer's machine and fails under CI."""

from __future__ import annotations

import pytest

from tests.scale.conftest import _unavailable


def test_unavailable_service_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception) as outcome:
        _unavailable("redis-server is not installed")
    assert str(outcome.value) == "redis-server is not installed"


def test_unavailable_service_fails_under_ci_true(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception) as outcome:
        _unavailable("redis-server is not installed")
    assert str(outcome.value) == ("CI=true and a scale-out service is unavailable:"
                                  " redis-server is not installed")
