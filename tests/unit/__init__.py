"""Unit tests: the hardest logic in-process, milliseconds each, no subprocess, no simulator."""
