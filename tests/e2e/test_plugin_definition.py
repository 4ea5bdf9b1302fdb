"""`plugin.yml` (the Hub definition) and `meltano.yml` describe the tap as it describes itself."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.e2e.meltano_settings import about, expected_settings
from tests.e2e.pipeline import MELTANO, ROOT

pytestmark = pytest.mark.e2e

COMPARED = ("name", "kind", "label", "description", "value", "sensitive")
REGENERATE = "the settings block to paste: .venv/bin/python scripts/e2e_plugin_settings.py"


@pytest.fixture(scope="module")
def tap_about() -> dict[str, Any]:
    return about()


@pytest.fixture(scope="module")
def hub_definition() -> dict[str, Any]:
    return yaml.safe_load((ROOT / "plugin.yml").read_text())  # type: ignore[no-any-return]


@pytest.fixture(scope="module")
def project_extractor() -> dict[str, Any]:
    project = yaml.safe_load((ROOT / "meltano.yml").read_text())
    (extractor,) = (p for p in project["plugins"]["extractors"] if p["name"] == "tap-freshdesk")
    return extractor  # type: ignore[no-any-return]


def _compared(settings: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {s["name"]: {k: s[k] for k in COMPARED if k in s} for s in settings}


def test_hub_definition_declares_every_setting_of_the_tap_as_the_tap_does(
    hub_definition: dict[str, Any], tap_about: dict[str, Any]
) -> None:
    declared = _compared(hub_definition["settings"])
    expected = _compared(expected_settings(tap_about))
    assert list(declared) == list(expected), REGENERATE
    for name, setting in expected.items():
        assert declared[name] == setting, f"{name} differs from --about; {REGENERATE}"


def test_only_the_api_key_is_sensitive(hub_definition: dict[str, Any]) -> None:
    sensitive = [s["name"] for s in hub_definition["settings"] if s.get("sensitive")]
    assert sensitive == ["api_key"]


def test_hub_definition_declares_the_capabilities_the_tap_reports(
    hub_definition: dict[str, Any], tap_about: dict[str, Any]
) -> None:
    assert sorted(hub_definition["capabilities"]) == sorted(tap_about["capabilities"])


def test_hub_definition_names_the_package_and_executable(hub_definition: dict[str, Any]) -> None:
    assert hub_definition["name"] == hub_definition["executable"] == "tap-freshdesk"
    assert hub_definition["namespace"] == "tap_freshdesk"
    for key in ("variant", "pip_url", "label", "description", "settings_group_validation"):
        assert hub_definition.get(key), key


def test_meltano_yml_extractor_agrees_with_the_hub_definition(
    hub_definition: dict[str, Any], project_extractor: dict[str, Any]
) -> None:
    assert project_extractor["pip_url"] == "-e ."
    assert project_extractor["namespace"] == hub_definition["namespace"]
    assert sorted(project_extractor["capabilities"]) == sorted(hub_definition["capabilities"])
    assert (
        project_extractor["settings_group_validation"]
        == hub_definition["settings_group_validation"]
    )
    assert _compared(project_extractor["settings"]) == _compared(hub_definition["settings"])


def test_meltano_adds_the_extractor_from_the_hub_definition(tmp_path: Path) -> None:
    assert _meltano(tmp_path, "init", "project", "--no_usage_stats").returncode == 0
    project = tmp_path / "project"
    plugin = str(ROOT / "plugin.yml")
    added = _meltano(
        project, "add", "extractor", "tap-freshdesk", "--from-ref", plugin, "--no-install"
    )
    assert added.returncode == 0, added.stderr[-3000:]
    listed = _meltano(project, "config", "list", "tap-freshdesk")
    assert "TAP_FRESHDESK_API_KEY" in listed.stdout, listed.stderr[-3000:]


def _meltano(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false", "PATH": str(MELTANO.parent)}
    return subprocess.run(
        [str(MELTANO), *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
