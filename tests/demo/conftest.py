"""The shared Chromium of the browser tests, for the demo's browser test."""

from ..browser.conftest import browser  # noqa: F401 - a fixture, used by name
