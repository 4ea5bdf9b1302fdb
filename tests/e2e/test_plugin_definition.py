"""`plugin.yml`, the Hub definition: valid for the Hub, true to the tap, usable as the README says.

It must pass the Meltano Hub's own JSON schema (vendored in `hub_schema/`), declare every setting,
capability and default selection as the tap itself reports them, and a fresh Meltano project must
get the extractor from it with the README's command, install it from this repository's git
history and run it into target-jsonl.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from devtools.destinations import MELTANO, PLUGINS, ROOT
from devtools.meltano_settings import about, expected_settings
from tests.e2e.conftest import require_plugins
from tests.e2e.pipeline import read_jsonl
from tests.harness import TAP
from tests.simulator import Simulator, SimulatorConfig

pytestmark = pytest.mark.e2e

HUB_SCHEMA = Path(__file__).parent / "hub_schema"
COMPARED = ("name", "kind", "label", "description", "value", "sensitive", "options")
REGENERATE = "the settings block to paste: .venv/bin/python scripts/e2e_plugin_settings.py"
#: The README's command (Meltano 4 reads `meltano add extractor NAME` as two plugin names), with
#: plugin.yml's address in the repository, so it works from any project.
RAW_PLUGIN_YML = "https://raw.githubusercontent.com/deskdata/tap-freshdesk/main/plugin.yml"
ADD_COMMAND = f"meltano add --plugin-type extractor tap-freshdesk --from-ref {RAW_PLUGIN_YML}"


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


@pytest.fixture(scope="module")
def default_streams() -> dict[str, bool]:
    """Each stream of the tap's catalog, and whether the tap selects it by default."""
    done = subprocess.run(
        [TAP, "--discover"], capture_output=True, text=True, check=True, timeout=120
    )
    streams = {}
    for entry in json.loads(done.stdout)["streams"]:
        (root,) = (m["metadata"] for m in entry["metadata"] if m["breadcrumb"] == [])
        streams[entry["tap_stream_id"]] = bool(root.get("selected-by-default"))
    return streams


def hub_validator() -> Draft7Validator:
    """The Hub's extractor schema, its `$ref`s resolved to the vendored files by their `$id`."""
    schemas = [json.loads(path.read_text()) for path in HUB_SCHEMA.rglob("*.schema.json")]
    registry: Registry[Any] = Registry().with_resources(
        (schema["$id"], Resource.from_contents(schema, default_specification=DRAFT7))
        for schema in schemas
    )
    (extractors,) = (s for s in schemas if s["$id"] == "extractors.schema.json")
    return Draft7Validator(extractors, registry=registry)


def _compared(settings: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {s["name"]: {k: s[k] for k in COMPARED if k in s} for s in settings}


def test_hub_definition_is_valid_against_the_hubs_own_schema(hub_definition: dict[str, Any]):
    errors = [f"{list(e.path)}: {e.message}" for e in hub_validator().iter_errors(hub_definition)]
    assert errors == []


def test_the_hub_schema_refuses_what_the_hub_refuses(hub_definition: dict[str, Any]):
    """The vendored schema really checks: no quality, a stray key or an unknown kind fail."""
    broken = json.loads(json.dumps(hub_definition))
    del broken["quality"]
    broken["homepage"] = "https://example.com"
    broken["settings"][0]["kind"] = "secret"
    messages = " ".join(e.message for e in hub_validator().iter_errors(broken))
    assert "'quality' is a required property" in messages
    assert "'homepage' was unexpected" in messages
    assert "'secret' is not one of" in messages


def test_hub_definition_declares_every_setting_of_the_tap_as_the_tap_does(
    hub_definition: dict[str, Any], tap_about: dict[str, Any]
) -> None:
    declared = _compared(hub_definition["settings"])
    expected = _compared(expected_settings(tap_about))
    assert list(declared) == list(expected), REGENERATE
    for name, setting in expected.items():
        assert declared[name] == setting, f"{name} differs from --about; {REGENERATE}"


def test_secrets_are_password_fields_and_nothing_else_is_sensitive(
    hub_definition: dict[str, Any], tap_about: dict[str, Any]
) -> None:
    secrets = [n for n, s in tap_about["settings"]["properties"].items() if s.get("secret")]
    sensitive = [s["name"] for s in hub_definition["settings"] if s.get("sensitive")]
    passwords = [s["name"] for s in hub_definition["settings"] if s["kind"] == "password"]
    assert secrets == sensitive == passwords == ["api_key"]


def test_batch_settings_are_form_fields(hub_definition: dict[str, Any]) -> None:
    names = {s["name"] for s in hub_definition["settings"]}
    assert "batch_config" not in names
    assert {
        "batch_config.encoding.format",
        "batch_config.encoding.compression",
        "batch_config.storage.root",
        "batch_config.storage.prefix",
    } <= names


def test_hub_definition_declares_the_capabilities_the_tap_reports_and_test(
    hub_definition: dict[str, Any], tap_about: dict[str, Any]
) -> None:
    """`--about` lists what the SDK knows; `--test` is a capability it does not list."""
    assert sorted(hub_definition["capabilities"]) == sorted({*tap_about["capabilities"], "test"})
    assert hub_definition["supported_python_versions"] == tap_about["supported_python_versions"]


def _selected_by(rules: list[str], stream: str) -> bool:
    """Meltano's reading of `select` for a whole stream: an inclusion matches, no exclusion."""
    matching = [r for r in rules if fnmatch.fnmatchcase(stream, r.removeprefix("!").split(".")[0])]
    return any(not r.startswith("!") for r in matching) and all(
        not r.startswith("!") for r in matching
    )


def test_select_keeps_exactly_the_streams_the_tap_selects_by_default(
    hub_definition: dict[str, Any], default_streams: dict[str, bool]
) -> None:
    for stream, by_default in default_streams.items():
        assert _selected_by(hub_definition["select"], stream) == by_default, stream


def test_hub_definition_names_the_package_repo_and_docs(hub_definition: dict[str, Any]) -> None:
    """Until the package is on PyPI, pip installs it from the repository plugin.yml names; the
    README says which PyPI name replaces the git URL once it is published."""
    pyproject = (ROOT / "pyproject.toml").read_text()
    package = re.search(r'^name = "(.+)"', pyproject, re.MULTILINE)
    assert package and package.group(1) == f"{hub_definition['variant']}-tap-freshdesk"
    assert hub_definition["name"] == hub_definition["executable"] == "tap-freshdesk"
    assert hub_definition["namespace"] == "tap_freshdesk"
    assert hub_definition["repo"] == f"https://github.com/{hub_definition['variant']}/tap-freshdesk"
    assert hub_definition["pip_url"] == f"git+{hub_definition['repo']}.git"
    assert hub_definition["docs"].startswith(hub_definition["repo"])
    assert f'Repository = "{hub_definition["repo"]}"' in pyproject
    readme = " ".join((ROOT / "README.md").read_text().split())
    assert ADD_COMMAND in readme and f"`pip_url: {hub_definition['pip_url']}`" in readme
    assert f"once it is, `pip_url` becomes `{package.group(1)}`" in readme
    raw = hub_definition["repo"].replace("github.com", "raw.githubusercontent.com")
    assert f"{raw}/main/plugin.yml" == RAW_PLUGIN_YML


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


# --- a fresh Meltano project, as a user gets the extractor --------------------------------------

#: Variables of this repository's own project that must not reach the fresh one.
OTHER_PROJECTS = ("MELTANO_", "TAP_FRESHDESK_", "TARGET_")


def _meltano(folder: Path, *args: str, env: dict[str, str] | None = None, timeout: int = 600):
    return subprocess.run(
        [str(MELTANO), *args],
        cwd=folder,
        env={
            **{k: v for k, v in os.environ.items() if not k.startswith(OTHER_PROJECTS)},
            "MELTANO_SEND_ANONYMOUS_USAGE_STATS": "false",
            "MELTANO_DISABLE_TRACKING": "true",
            **(env or {}),
        },
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _committed_head() -> str:
    """This checkout as pip sees it through git: the committed HEAD, never the work tree."""
    done = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


@contextmanager
def serving_plugin_yml() -> Iterator[str]:
    """This checkout's plugin.yml over HTTP on loopback, standing in for its raw GitHub address
    (no network here); yields the URL to use in the README's command instead."""
    body = (ROOT / "plugin.yml").read_bytes()

    class PluginYml(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            found = self.path == urlsplit(RAW_PLUGIN_YML).path
            self.send_response(200 if found else 404)
            self.end_headers()
            self.wfile.write(body if found else b"")

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), PluginYml)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{urlsplit(RAW_PLUGIN_YML).path}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def fresh_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`meltano init`, then the README's add command, with nothing of this repository on disk:
    plugin.yml comes from its address (served locally), as in any project."""
    folder = tmp_path_factory.mktemp("fresh")
    made = _meltano(folder, "init", "project", "--no_usage_stats")
    assert made.returncode == 0, made.stderr[-3000:]
    project = folder / "project"
    with serving_plugin_yml() as url:
        command = ADD_COMMAND.replace(RAW_PLUGIN_YML, url)
        added = _meltano(project, *command.split()[1:], "--no-install")
    assert added.returncode == 0, added.stderr[-3000:]
    assert not (project / "plugin.yml").exists()
    return project


def test_the_readme_command_adds_the_extractor_alone_with_the_taps_selection(
    fresh_project: Path, default_streams: dict[str, bool]
) -> None:
    plugins = yaml.safe_load((fresh_project / "meltano.yml").read_text())["plugins"]
    assert list(plugins) == ["extractors"]
    (extractor,) = plugins["extractors"]
    assert extractor["name"] == "tap-freshdesk" and extractor["variant"] == "deskdata"
    assert extractor["pip_url"] == "git+https://github.com/deskdata/tap-freshdesk.git"
    # `--from-ref` keeps no `select`: Meltano's own default (`*.*`) must be the tap's.
    for stream, by_default in default_streams.items():
        assert _selected_by(extractor.get("select", ["*.*"]), stream) == by_default, stream
    listed = _meltano(fresh_project, "config", "list", "tap-freshdesk", "--all")
    assert "TAP_FRESHDESK_API_KEY" in listed.stdout, listed.stderr[-3000:]
    assert "TAP_FRESHDESK_BATCH_CONFIG_ENCODING_FORMAT" in listed.stdout


def test_the_extractor_installs_from_git_and_runs_into_target_jsonl(
    fresh_project: Path, default_streams: dict[str, bool]
) -> None:
    """Installed by pip from this repository's committed HEAD (`git+file://`), in place of the
    GitHub repository plugin.yml's `git+https://` names, which this machine cannot reach;
    loaded by the project's own target-jsonl (already installed by `make e2e-install`)."""
    require_plugins("target-jsonl")
    project = yaml.safe_load((fresh_project / "meltano.yml").read_text())
    project["plugins"]["extractors"][0]["pip_url"] = f"git+file://{ROOT}@{_committed_head()}"
    ours = yaml.safe_load((ROOT / "meltano.yml").read_text())
    (loader,) = (p for p in ours["plugins"]["loaders"] if p["name"] == "target-jsonl")
    project["plugins"]["loaders"] = [loader]
    (fresh_project / "meltano.yml").write_text(yaml.safe_dump(project, sort_keys=False))
    loaders = fresh_project / ".meltano" / "loaders"
    loaders.mkdir(parents=True, exist_ok=True)
    (loaders / "target-jsonl").symlink_to(PLUGINS / "loaders" / "target-jsonl")

    installed = _meltano(fresh_project, "install", "--plugin-type", "extractor", "tap-freshdesk")
    assert installed.returncode == 0, installed.stderr[-3000:]

    output = fresh_project / "output"
    with Simulator(SimulatorConfig(tickets=30, contacts=10, companies=3)) as sim:
        env = {
            "TAP_FRESHDESK_BASE_URL": sim.base_url,
            "TAP_FRESHDESK_API_KEY": sim.api_key,
            "TARGET_JSONL_DESTINATION_PATH": str(output),
        }
        ran = _meltano(fresh_project, "run", "tap-freshdesk", "target-jsonl", env=env)
        assert ran.returncode == 0, ran.stderr[-4000:]
        landed = read_jsonl(output, {"tickets": ["id"], "contacts": ["id"]})
        for stream in ("tickets", "contacts"):
            ids = sorted(int(row["id"]) for row in landed[stream]["rows"])
            assert ids == sorted(record["id"] for record in sim.truth(stream)), stream
    assert set(landed) <= {name for name, on in default_streams.items() if on}
    assert sim.api_key not in ran.stdout + ran.stderr
