"""Packaging checks standing in for hassfest and the HACS action, which need a network.

Each check is a small pure function (a collector or a validator) with unit tests fed
synthetic inputs, which show that the check does catch what it is meant to catch.
The project tests then run the same functions over the real files. A source file
that other work has not written yet (config flow, services, icons, translations) makes
its tests skip, with the reason; the manifest, hacs.json, brand icon and folder layout
are checked unconditionally.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
import json
from pathlib import Path
import re
import struct
from typing import Any
import zlib

from homeassistant.const import Platform
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
CUSTOM_COMPONENTS = ROOT / "custom_components"
INTEGRATION = CUSTOM_COMPONENTS / "xivo"
TRANSLATIONS = INTEGRATION / "translations"
LANGUAGES = ("en", "fr")

# hassfest's rules for a custom integration's manifest.json.
REQUIRED_MANIFEST_KEYS = frozenset(
    {
        "domain",
        "name",
        "codeowners",
        "config_flow",
        "documentation",
        "integration_type",
        "iot_class",
        "issue_tracker",
        "loggers",
        "requirements",
        "version",
    }
)
ALLOWED_MANIFEST_KEYS = REQUIRED_MANIFEST_KEYS | {
    "after_dependencies",
    "bluetooth",
    "dependencies",
    "dhcp",
    "disabled",
    "homekit",
    "import_executor",
    "mqtt",
    "quality_scale",
    "single_config_entry",
    "ssdp",
    "usb",
    "zeroconf",
}
IOT_CLASSES = frozenset(
    {
        "assumed_state",
        "calculated",
        "cloud_polling",
        "cloud_push",
        "local_polling",
        "local_push",
    }
)
INTEGRATION_TYPES = frozenset(
    {"device", "entity", "hardware", "helper", "hub", "service", "system", "virtual"}
)
MANIFEST_LIST_KEYS = ("after_dependencies", "codeowners", "dependencies", "loggers")

# The keys HACS accepts in hacs.json, with their types.
HACS_KEYS: Mapping[str, type | tuple[type, ...]] = {
    "name": str,
    "content_in_root": bool,
    "zip_release": bool,
    "filename": str,
    "hide_default_branch": bool,
    "country": (str, list),
    "homeassistant": str,
    "persistent_directory": str,
    "render_readme": bool,
    "hacs": str,
}
MINIMUM_HOME_ASSISTANT = "2025.4.0"

EXCEPTION_CLASSES = frozenset(
    {
        "HomeAssistantError",
        "ServiceValidationError",
        "ConfigEntryAuthFailed",
        "ConfigEntryError",
        "ConfigEntryNotReady",
    }
)
ISSUE_FUNCTIONS = frozenset({"async_create_issue", "create_issue"})
PLATFORMS = frozenset(platform.value for platform in Platform)
MDI_ICON = re.compile(r"mdi:[a-z0-9]+(?:-[a-z0-9]+)*")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------- helpers


def is_valid_version(value: object) -> bool:
    """Tell whether hassfest would accept `value` as a custom integration's version."""
    if not isinstance(value, str) or not value:
        return False
    try:
        from awesomeversion import AwesomeVersion, AwesomeVersionStrategy
        from awesomeversion.exceptions import AwesomeVersionException
    except ImportError:  # pragma: no cover - awesomeversion ships with Home Assistant
        from packaging.version import InvalidVersion, Version

        try:
            Version(value)
        except InvalidVersion:
            return False
        return True
    try:
        AwesomeVersion(
            value,
            ensure_strategy=[
                AwesomeVersionStrategy.CALVER,
                AwesomeVersionStrategy.SEMVER,
                AwesomeVersionStrategy.SIMPLEVER,
                AwesomeVersionStrategy.BUILDVER,
                AwesomeVersionStrategy.PEP440,
            ],
        )
    except AwesomeVersionException:
        return False
    return True


def manifest_problems(
    manifest: Mapping[str, Any], folder: str | None = None
) -> list[str]:
    """Return what hassfest would reject in a custom integration's manifest."""
    problems = [
        f"missing key {key!r}"
        for key in sorted(REQUIRED_MANIFEST_KEYS - manifest.keys())
    ]
    problems += [
        f"unknown key {key!r}"
        for key in sorted(manifest.keys() - ALLOWED_MANIFEST_KEYS)
    ]
    keys = list(manifest)
    head = [key for key in ("domain", "name") if key in manifest]
    expected = head + sorted(key for key in keys if key not in head)
    if keys != expected:
        problems.append(
            f"keys out of order: {keys} (expected domain, name, then alphabetical: {expected})"
        )
    if "version" in manifest and not is_valid_version(manifest["version"]):
        problems.append(f"invalid version {manifest['version']!r}")
    if "iot_class" in manifest and manifest["iot_class"] not in IOT_CLASSES:
        problems.append(f"unknown iot_class {manifest['iot_class']!r}")
    if (
        "integration_type" in manifest
        and manifest["integration_type"] not in INTEGRATION_TYPES
    ):
        problems.append(f"unknown integration_type {manifest['integration_type']!r}")
    if folder is not None and manifest.get("domain") != folder:
        problems.append(
            f"domain {manifest.get('domain')!r} is not the folder {folder!r}"
        )
    if "config_flow" in manifest and not isinstance(manifest["config_flow"], bool):
        problems.append("config_flow is not a boolean")
    for key in (*MANIFEST_LIST_KEYS, "requirements"):
        value = manifest.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.append(f"{key} is not a list of strings")
    codeowners = manifest.get("codeowners", [])
    if isinstance(codeowners, list) and not all(
        isinstance(owner, str) and owner.startswith("@") for owner in codeowners
    ):
        problems.append("codeowners must be GitHub handles starting with '@'")
    for key in ("documentation", "issue_tracker"):
        value = manifest.get(key)
        if key in manifest and not (
            isinstance(value, str) and value.startswith("https://")
        ):
            problems.append(f"{key} is not an https:// URL")
    return problems


def hacs_problems(hacs: Mapping[str, Any]) -> list[str]:
    """Return what the HACS action would reject in hacs.json, plus our own pin."""
    problems = [
        f"unknown key {key!r}" for key in sorted(hacs.keys() - HACS_KEYS.keys())
    ]
    if "name" not in hacs:
        problems.append("missing key 'name'")
    problems += [
        f"{key} should be of type {HACS_KEYS[key]}"
        for key, value in hacs.items()
        if key in HACS_KEYS and not isinstance(value, HACS_KEYS[key])
    ]
    if hacs.get("homeassistant") != MINIMUM_HOME_ASSISTANT:
        problems.append(
            f"homeassistant is {hacs.get('homeassistant')!r}, not {MINIMUM_HOME_ASSISTANT!r}"
        )
    if hacs.get("content_in_root") is True:
        problems.append(
            "content_in_root is true, but the code is in custom_components/"
        )
    if hacs.get("zip_release") is True and "filename" not in hacs:
        problems.append("zip_release needs a filename")
    return problems


def integration_folders(custom_components: Path) -> list[str]:
    """Return the folders under custom_components/, ignoring files and __pycache__."""
    return sorted(
        path.name
        for path in custom_components.iterdir()
        if path.is_dir() and path.name != "__pycache__"
    )


def png_header(data: bytes) -> tuple[int, int, int] | None:
    """Return (width, height, colour type) of PNG data, or None if it is no valid PNG."""
    if len(data) < 33 or not data.startswith(PNG_SIGNATURE):
        return None
    length, chunk_type = struct.unpack(">I4s", data[8:16])
    if chunk_type != b"IHDR" or length != 13:
        return None
    body = data[16:29]
    (crc,) = struct.unpack(">I", data[29:33])
    if zlib.crc32(chunk_type + body) != crc:
        return None
    width, height, _depth, colour_type = struct.unpack(">IIBB", body[:10])
    return width, height, colour_type


def flatten(tree: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Flatten nested mappings into {"a.b.c": leaf}."""
    flat: dict[str, Any] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            flat.update(flatten(value, f"{path}."))
        else:
            flat[path] = value
    return flat


def has_path(flat: Iterable[str], path: str) -> bool:
    """Tell whether `path` (a leaf or a branch) is present.

    A `*` in the path matches one or more characters within a segment, so that
    `entity.*.key` or `entity.switch.forward_*` match any fitting key.
    """
    pattern = re.compile(
        r"\.".join(
            "[^.]+".join(re.escape(piece) for piece in part.split("*"))
            for part in path.split(".")
        )
        + r"(\..+)?"
    )
    return any(pattern.fullmatch(key) for key in flat)


def missing_paths(required: Iterable[str], flat: Iterable[str]) -> list[str]:
    """Return the required paths absent from the flattened keys."""
    keys = list(flat)
    return sorted(path for path in set(required) if not has_path(keys, path))


def _name(node: ast.expr) -> str | None:
    """Return the called or assigned name: `f` for `f(...)`, `g` for `a.b.g(...)`."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _strings(
    node: ast.expr | None, local: Mapping[str, set[str]] | None = None
) -> set[str]:
    """Return the strings an expression may evaluate to.

    An f-string gives a pattern, `*` standing for each replacement field; a variable
    gives the strings assigned to it in `local`.
    """
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}
    if isinstance(node, ast.IfExp):
        return _strings(node.body, local) | _strings(node.orelse, local)
    if isinstance(node, ast.JoinedStr):
        return {
            "".join(
                str(part.value) if isinstance(part, ast.Constant) else "*"
                for part in node.values
            )
        }
    if isinstance(node, ast.Name) and local:
        return set(local.get(node.id, set()))
    return set()


def _assigned_strings(scope: ast.AST) -> dict[str, set[str]]:
    """Return {variable: strings assigned to it} within a function or module."""
    found: dict[str, set[str]] = {}
    for node in ast.walk(scope):
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign):
            targets, value = [node.target], node.value
        else:
            continue
        for target in targets:
            if isinstance(target, ast.Name) and (strings := _strings(value)):
                found.setdefault(target.id, set()).update(strings)
    return found


def _keyword(call: ast.Call, name: str) -> ast.expr | None:
    return next((kw.value for kw in call.keywords if kw.arg == name), None)


def _dict_strings(node: ast.expr | None) -> set[str]:
    """Return the string values of a dict literal (either dict of a conditional)."""
    if isinstance(node, ast.IfExp):
        return _dict_strings(node.body) | _dict_strings(node.orelse)
    if not isinstance(node, ast.Dict):
        return set()
    return set().union(*(_strings(value) for value in node.values))


class _ConfigFlowVisitor(ast.NodeVisitor):
    """Collect the translation paths a config flow module needs."""

    def __init__(self, functions: Mapping[str, ast.AST]) -> None:
        self.functions = functions
        self.paths: set[str] = set()
        self._section = "config"
        self._class_steps: set[str] = set()
        self._function = ""

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        outer = self._section, self._class_steps
        bases = {_name(base) or "" for base in node.bases}
        self._section = (
            "options" if any(b.startswith("OptionsFlow") for b in bases) else "config"
        )
        self._class_steps = {
            item.name
            for item in node.body
            if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
        }
        self.generic_visit(node)
        self._section, self._class_steps = outer

    def _visit_function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        outer = self._function
        self._function = node.name
        self.generic_visit(node)
        self._function = outer

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        self._visit_function(node)

    def visit_AsyncFunctionDef(self, node: ast.AsyncFunctionDef) -> None:
        self._visit_function(node)

    def _add(self, kind: str, keys: Iterable[str]) -> None:
        self.paths.update(f"{self._section}.{kind}.{key}" for key in keys)

    def visit_Assign(self, node: ast.Assign) -> None:
        for target in node.targets:
            self._assigned(target, node.value)
        self.generic_visit(node)

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self._assigned(node.target, node.value)
        self.generic_visit(node)

    def _assigned(self, target: ast.expr, value: ast.expr | None) -> None:
        # errors["base"] = "x"
        if isinstance(target, ast.Subscript) and (_name(target.value) or "").endswith(
            "errors"
        ):
            self._add("error", _strings(value))
        # errors = {"base": "x"}
        if (_name(target) or "").endswith("errors"):
            self._add("error", _dict_strings(value))
        # errors = self._check(...) or errors, title = await self._check(...):
        # the dicts that function returns (at the same place in a returned tuple).
        if (_name(target) or "").endswith("errors"):
            position = None
        elif isinstance(target, ast.Tuple):
            position = next(
                (
                    index
                    for index, element in enumerate(target.elts)
                    if (_name(element) or "").endswith("errors")
                ),
                -1,
            )
        else:
            return
        call = value.value if isinstance(value, ast.Await) else value
        function = (
            self.functions.get(_name(call.func) or "")
            if isinstance(call, ast.Call)
            else None
        )
        if function is None or position == -1:
            return
        for node in ast.walk(function):
            if isinstance(node, ast.Return) and node.value is not None:
                returned: ast.expr | None = node.value
                if position is not None:
                    returned = (
                        node.value.elts[position]
                        if isinstance(node.value, ast.Tuple)
                        and len(node.value.elts) > position
                        else None
                    )
                self._add("error", _dict_strings(returned))

    def visit_Dict(self, node: ast.Dict) -> None:
        # {"base": "x"} anywhere: "base" is the key of a form's general error.
        if any(
            isinstance(key, ast.Constant) and key.value == "base" for key in node.keys
        ):
            self._add("error", _dict_strings(node))
        self.generic_visit(node)

    def _default_update_reasons(self) -> set[str]:
        if "reconfigure" in self._function:
            return {"reconfigure_successful"}
        if "reauth" in self._function:
            return {"reauth_successful"}
        reasons = set()
        if any(step.startswith("async_step_reauth") for step in self._class_steps):
            reasons.add("reauth_successful")
        if any(step.startswith("async_step_reconfigure") for step in self._class_steps):
            reasons.add("reconfigure_successful")
        return reasons or {"reauth_successful"}

    def visit_Call(self, node: ast.Call) -> None:
        name = _name(node.func)
        reason = _keyword(node, "reason")
        self._add("error", _dict_strings(_keyword(node, "errors")))
        if name == "async_abort":
            self._add("abort", _strings(reason))
        elif name == "AbortFlow":
            self._add("abort", _strings(node.args[0] if node.args else reason))
        elif name == "_abort_if_unique_id_mismatch":
            self._add("abort", _strings(reason) if reason else {"unique_id_mismatch"})
        elif name == "async_update_reload_and_abort":
            self._add(
                "abort", _strings(reason) if reason else self._default_update_reasons()
            )
        elif name == "_abort_if_unique_id_configured":
            error = _keyword(node, "error")
            self._add("abort", _strings(error) if error else {"already_configured"})
        elif name == "_async_abort_entries_match":
            self._add("abort", {"already_configured"})
        elif name in ("async_show_form", "async_show_menu"):
            steps = _strings(_keyword(node, "step_id"))
            self._add("step", steps)
            options = _keyword(node, "menu_options")
            if isinstance(options, ast.List | ast.Tuple):
                for step in steps:
                    self._add(
                        "step",
                        (
                            f"{step}.menu_options.{option}"
                            for element in options.elts
                            for option in _strings(element)
                        ),
                    )
        self.generic_visit(node)


def config_flow_paths(source: str) -> set[str]:
    """Return the translation paths (config.error.x, config.abort.y, ...) a flow uses."""
    tree = ast.parse(source)
    visitor = _ConfigFlowVisitor(
        {
            node.name: node
            for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        }
    )
    visitor.visit(tree)
    return visitor.paths


@dataclass
class TranslationKeys:
    """Translation keys found in one module."""

    entity: set[str] = field(default_factory=set)
    exceptions: set[str] = field(default_factory=set)
    issues: set[str] = field(default_factory=set)


def translation_keys(source: str) -> TranslationKeys:
    """Return the entity, exception and issue translation keys used in a module."""
    found = TranslationKeys()
    tree = ast.parse(source)
    # Each function is read with its own variables, so that `translation_key=key`
    # resolves to the strings assigned to `key` there.
    scopes = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]
    for scope in (tree, *scopes):
        local = _assigned_strings(scope) if scope is not tree else {}
        for node in ast.walk(scope):
            if isinstance(node, ast.Call):
                keys = _strings(_keyword(node, "translation_key"), local)
                name = _name(node.func) or ""
                if name in ISSUE_FUNCTIONS:
                    found.issues |= keys
                elif name in EXCEPTION_CLASSES or _keyword(node, "translation_domain"):
                    found.exceptions |= keys
                else:
                    found.entity |= keys
            elif isinstance(node, ast.Assign | ast.AnnAssign):
                targets = (
                    node.targets if isinstance(node, ast.Assign) else [node.target]
                )
                if any(_name(target) == "_attr_translation_key" for target in targets):
                    found.entity |= _strings(node.value, local)
    return found


def entity_paths(keys_by_module: Mapping[str, Iterable[str]]) -> set[str]:
    """Map entity translation keys to entity.<platform>.<key>.

    The platform is the module's name; a key set in a module that is no platform
    (entity.py, const.py...) may belong to any platform: entity.*.<key>.
    """
    return {
        f"entity.{module if module in PLATFORMS else '*'}.{key}"
        for module, keys in keys_by_module.items()
        for key in keys
    }


def service_fields(services: Mapping[str, Any] | None) -> dict[str, dict[str, str]]:
    """Return {action: {field: section or ""}} from a parsed services.yaml."""
    result: dict[str, dict[str, str]] = {}
    for action, spec in (services or {}).items():
        fields: dict[str, str] = {}
        for name, value in ((spec or {}).get("fields") or {}).items():
            if isinstance(value, Mapping) and "fields" in value:
                fields.update(dict.fromkeys(value["fields"] or {}, name))
            else:
                fields[name] = ""
        result[action] = fields
    return result


def service_translation_paths(services: Mapping[str, Any] | None) -> set[str]:
    """Return the translation paths every action and field of services.yaml needs."""
    paths: set[str] = set()
    for action, fields in service_fields(services).items():
        paths |= {f"services.{action}.name", f"services.{action}.description"}
        for name, section in fields.items():
            paths |= {
                f"services.{action}.fields.{name}.name",
                f"services.{action}.fields.{name}.description",
            }
            if section:
                paths.add(f"services.{action}.sections.{section}.name")
    return paths


def service_icon_paths(services: Mapping[str, Any] | None) -> set[str]:
    """Return the icons.json paths every action of services.yaml needs."""
    return {f"services.{action}.service" for action in (services or {})}


def key_differences(en: Mapping[str, Any], fr: Mapping[str, Any]) -> list[str]:
    """Return the flattened key paths present in one translation but not the other."""
    return sorted(
        [f"{path}: only in en.json" for path in en.keys() - fr.keys()]
        + [f"{path}: only in fr.json" for path in fr.keys() - en.keys()]
    )


def translation_leaf_problems(flat: Mapping[str, Any]) -> list[str]:
    """Return leaves that are no usable text for a custom integration."""
    problems = []
    for path, value in sorted(flat.items()):
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{path}: not a non-empty string")
        elif "[%key:" in value:
            # Only core integrations get references resolved, at build time.
            problems.append(f"{path}: [%key:...%] references are not resolved here")
    return problems


def icon_value_problems(flat: Mapping[str, Any]) -> list[str]:
    """Return icons.json leaves that are no mdi: icon."""
    return [
        f"{path}: {value!r}"
        for path, value in sorted(flat.items())
        if not (isinstance(value, str) and MDI_ICON.fullmatch(value))
    ]


# ------------------------------------------------------------------- file loaders


def _load_json(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def _translations(language: str) -> dict[str, Any]:
    path = TRANSLATIONS / f"{language}.json"
    if not path.is_file():
        pytest.skip(f"translations/{language}.json not written yet")
    return flatten(_load_json(path))


def _services() -> dict[str, Any]:
    path = INTEGRATION / "services.yaml"
    if not path.is_file():
        pytest.skip("services.yaml not written yet")
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _icons() -> dict[str, Any]:
    path = INTEGRATION / "icons.json"
    if not path.is_file():
        pytest.skip("icons.json not written yet")
    return flatten(_load_json(path))


def _modules() -> dict[str, TranslationKeys]:
    """Return the translation keys of every module of the integration, by name."""
    found: dict[str, TranslationKeys] = {}
    for path in sorted(INTEGRATION.rglob("*.py")):
        if "__pycache__" in path.parts:
            continue
        keys = translation_keys(path.read_text(encoding="utf-8"))
        module = found.setdefault(path.stem, TranslationKeys())
        module.entity |= keys.entity
        module.exceptions |= keys.exceptions
        module.issues |= keys.issues
    return found


def _entity_paths() -> set[str]:
    paths = entity_paths({name: keys.entity for name, keys in _modules().items()})
    if not paths:
        pytest.skip("no entity translation_key used yet (platforms not written yet)")
    return paths


# ------------------------------------------------- unit tests of the checks themselves

GOOD_MANIFEST: dict[str, Any] = {
    "domain": "xivo",
    "name": "XiVO",
    "codeowners": ["@someone"],
    "config_flow": True,
    "documentation": "https://example.org/docs",
    "integration_type": "service",
    "iot_class": "local_push",
    "issue_tracker": "https://example.org/issues",
    "loggers": ["custom_components.xivo"],
    "requirements": [],
    "version": "1.2.3",
}


def test_manifest_checker_accepts_a_good_manifest() -> None:
    assert manifest_problems(GOOD_MANIFEST, "xivo") == []


@pytest.mark.parametrize("key", sorted(REQUIRED_MANIFEST_KEYS))
def test_manifest_checker_detects_a_missing_key(key: str) -> None:
    manifest = {k: v for k, v in GOOD_MANIFEST.items() if k != key}
    assert f"missing key {key!r}" in manifest_problems(manifest)


def test_manifest_checker_detects_an_unknown_key() -> None:
    assert "unknown key 'colour'" in manifest_problems(
        GOOD_MANIFEST | {"colour": "blue"}
    )


def test_manifest_checker_accepts_every_optional_key_in_order() -> None:
    rest = {k: v for k, v in GOOD_MANIFEST.items() if k not in ("domain", "name")}
    rest |= {key: [] for key in ALLOWED_MANIFEST_KEYS - REQUIRED_MANIFEST_KEYS}
    manifest = {"domain": "xivo", "name": "XiVO"} | dict(sorted(rest.items()))
    assert manifest_problems(manifest) == []


@pytest.mark.parametrize(
    "order",
    [
        ["name", "domain"],  # domain must come first
        ["domain", "codeowners", "name"],  # name must come second
        ["domain", "name", "version", "codeowners"],  # the rest alphabetically
    ],
)
def test_manifest_checker_detects_keys_out_of_order(order: list[str]) -> None:
    rest = [key for key in GOOD_MANIFEST if key not in order]
    manifest = {key: GOOD_MANIFEST[key] for key in order + rest}
    assert any("out of order" in problem for problem in manifest_problems(manifest))


@pytest.mark.parametrize("version", ["banana", "", "1..2", None, 1])
def test_manifest_checker_detects_an_invalid_version(version: object) -> None:
    assert f"invalid version {version!r}" in manifest_problems(
        GOOD_MANIFEST | {"version": version}
    )


@pytest.mark.parametrize("version", ["0.1.0", "2025.4.0", "1", "1.0.0b1"])
def test_version_checker_accepts_real_versions(version: str) -> None:
    assert is_valid_version(version)


def test_manifest_checker_detects_a_bad_iot_class_and_integration_type() -> None:
    problems = manifest_problems(
        GOOD_MANIFEST | {"iot_class": "local_pull", "integration_type": "gadget"}
    )
    assert "unknown iot_class 'local_pull'" in problems
    assert "unknown integration_type 'gadget'" in problems


def test_manifest_checker_detects_bad_values() -> None:
    problems = manifest_problems(
        GOOD_MANIFEST
        | {
            "codeowners": ["someone"],
            "config_flow": "yes",
            "documentation": "http://example.org",
            "requirements": "xuc==1",
        },
        folder="other",
    )
    assert problems == [
        "domain 'xivo' is not the folder 'other'",
        "config_flow is not a boolean",
        "requirements is not a list of strings",
        "codeowners must be GitHub handles starting with '@'",
        "documentation is not an https:// URL",
    ]


def test_hacs_checker() -> None:
    good = {"name": "XiVO", "homeassistant": MINIMUM_HOME_ASSISTANT}
    assert hacs_problems(good) == []
    assert hacs_problems(good | {"render_readme": True, "country": ["FR"]}) == []
    assert hacs_problems(good | {"domains": ["sensor"]}) == ["unknown key 'domains'"]
    assert hacs_problems({"homeassistant": MINIMUM_HOME_ASSISTANT}) == [
        "missing key 'name'"
    ]
    assert hacs_problems(good | {"homeassistant": "2024.1.0"}) == [
        f"homeassistant is '2024.1.0', not {MINIMUM_HOME_ASSISTANT!r}"
    ]
    assert hacs_problems({"name": "XiVO"}) == [
        f"homeassistant is None, not {MINIMUM_HOME_ASSISTANT!r}"
    ]
    assert hacs_problems(good | {"render_readme": "yes"}) == [
        "render_readme should be of type <class 'bool'>"
    ]
    assert hacs_problems(good | {"content_in_root": True}) == [
        "content_in_root is true, but the code is in custom_components/"
    ]
    assert hacs_problems(good | {"zip_release": True}) == [
        "zip_release needs a filename"
    ]


def test_folder_checker(tmp_path: Path) -> None:
    (tmp_path / "__init__.py").touch()
    (tmp_path / "__pycache__").mkdir()
    assert integration_folders(tmp_path) == []
    (tmp_path / "xivo").mkdir()
    assert integration_folders(tmp_path) == ["xivo"]
    (tmp_path / "other").mkdir()
    assert integration_folders(tmp_path) == ["other", "xivo"]


def _png(width: int, height: int, colour_type: int = 6) -> bytes:
    body = struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0)
    chunk = b"IHDR" + body
    return (
        PNG_SIGNATURE
        + struct.pack(">I", 13)
        + chunk
        + struct.pack(">I", zlib.crc32(chunk))
    )


def test_png_checker() -> None:
    assert png_header(_png(256, 256)) == (256, 256, 6)
    assert png_header(_png(300, 200, 2)) == (300, 200, 2)
    assert png_header(b"GIF89a" + _png(256, 256)[6:]) is None
    assert png_header(_png(256, 256)[:20]) is None
    corrupt = bytearray(_png(256, 256))
    corrupt[20] ^= 0xFF
    assert png_header(bytes(corrupt)) is None


def test_flatten_and_path_lookup() -> None:
    flat = flatten({"a": {"b": {"c": "x"}, "d": "y", "e": {}}})
    assert flat == {"a.b.c": "x", "a.d": "y", "a.e": {}}
    assert has_path(flat, "a.b.c")
    assert has_path(flat, "a.b")
    assert has_path(flat, "a.*.c")
    assert not has_path(flat, "a.b.c.d")
    assert not has_path(flat, "a.bb")
    assert not has_path(flat, "*.c")
    assert has_path(flat, "*.b")
    assert not has_path(flat, "a.b*")  # a wildcard stands for one character or more
    assert has_path(flatten({"forward_busy": "x"}), "forward_*")
    assert has_path(flatten({"f_busy_destination": "x"}), "f_*_destination")
    assert not has_path(flatten({"f_busy": "x"}), "f_*_destination")
    assert missing_paths({"a.d", "a.z", "q"}, flat) == ["a.z", "q"]


def test_key_set_comparison_detects_a_difference() -> None:
    en = flatten({"config": {"error": {"a": "A", "b": "B"}, "step": {"user": "U"}}})
    fr = flatten({"config": {"error": {"a": "A"}, "step": {"user": {"title": "U"}}}})
    assert key_differences(en, fr) == [
        "config.error.b: only in en.json",
        "config.step.user.title: only in fr.json",
        "config.step.user: only in en.json",
    ]
    assert key_differences(en, en) == []


CONFIG_FLOW_SOURCE = """
class XivoConfigFlow(ConfigFlow, domain=DOMAIN):
    async def _try(self, data):
        try:
            connect(data)
        except ValueError:
            return {CONF_URL: "invalid_url"}, None
        except TimeoutError:
            return {"base": "timeout"}, None
        return {}, "title"

    def _check(self, data):
        return {CONF_USERNAME: "bad_user"} if data else {}

    async def async_step_user(self, user_input=None):
        errors: dict[str, str] = {}
        try:
            await check()
        except CannotConnect:
            errors["base"] = "cannot_connect"
        except InvalidAuth:
            errors[CONF_PASSWORD] = "invalid_auth" if bad else "expired"
        if errors:
            return self.async_show_form(step_id="user", errors=errors)
        await self.async_set_unique_id(uid)
        self._abort_if_unique_id_configured()
        return self.async_show_form(step_id="user", errors={"base": "unknown"})

    async def async_step_reauth(self, entry_data):
        return await self.async_step_reauth_confirm()

    async def async_step_reauth_confirm(self, user_input=None):
        self._abort_if_unique_id_mismatch(reason="wrong_account")
        errors, title = await self._try(data)
        errors = self._check(data)
        return self.async_update_reload_and_abort(self._get_reauth_entry(), data=data)

    async def async_step_reconfigure(self, user_input=None):
        self._abort_if_unique_id_mismatch()
        return self.async_update_reload_and_abort(entry, reason="reconfigured")

    async def _finish(self):
        if nothing:
            return self.async_abort(reason="no_user")
        return self.async_update_reload_and_abort(entry)

    async def async_step_menu(self, user_input=None):
        return self.async_show_menu(step_id="pick", menu_options=["user", "manual"])


class XivoOptionsFlow(OptionsFlow):
    async def async_step_init(self, user_input=None):
        errors = {"base": "bad_option"}
        raise AbortFlow("not_now")
"""


def test_config_flow_collector_finds_every_key() -> None:
    assert config_flow_paths(CONFIG_FLOW_SOURCE) == {
        "config.error.cannot_connect",
        "config.error.invalid_auth",
        "config.error.expired",
        "config.error.unknown",
        "config.error.invalid_url",
        "config.error.timeout",
        "config.error.bad_user",
        "config.abort.already_configured",
        "config.abort.wrong_account",
        "config.abort.reauth_successful",
        "config.abort.unique_id_mismatch",
        "config.abort.reconfigured",
        "config.abort.no_user",
        "config.abort.reconfigure_successful",
        "config.step.user",
        "config.step.pick",
        "config.step.pick.menu_options.user",
        "config.step.pick.menu_options.manual",
        "options.error.bad_option",
        "options.abort.not_now",
    }


def test_config_flow_collector_detects_a_missing_translation() -> None:
    translations = flatten(
        {
            "config": {
                "error": {"cannot_connect": "x"},
                "abort": {"reauth_successful": "y"},
            }
        }
    )
    required = config_flow_paths(
        'def f(self):\n    errors["base"] = "cannot_connect"\n'
        "    self._abort_if_unique_id_configured(error='already_set_up')\n"
        '    return self.async_abort(reason="reauth_successful")\n'
    )
    assert missing_paths(required, translations) == ["config.abort.already_set_up"]


def test_config_flow_collector_uses_the_reauth_default_without_reauth_steps() -> None:
    source = "class F(ConfigFlow):\n    def helper(self):\n        return self.async_update_reload_and_abort(e)\n"
    assert config_flow_paths(source) == {"config.abort.reauth_successful"}


ENTITY_SOURCE = """
DESCRIPTIONS = (
    SensorEntityDescription(key="a", translation_key="favorite"),
    SensorEntityDescription(key="b", translation_key=None),
)

class Presence(SelectEntity):
    _attr_translation_key = "presence"

    def __init__(self):
        self._attr_translation_key: str = "presence_on" if on else "presence_off"

    async def async_select_option(self, option):
        if bad:
            raise ServiceValidationError(
                translation_domain=DOMAIN, translation_key="invalid_status"
            )
        raise HomeAssistantError(translation_domain=DOMAIN, translation_key="xuc_error") from err

async def async_setup_entry(hass, entry):
    try:
        pass
    except Exception as err:
        raise ConfigEntryNotReady(translation_key="not_ready") from err
    raise exceptions.ConfigEntryAuthFailed(translation_key="auth_failed")
    raise XivoError(translation_domain=DOMAIN, translation_key="custom")
    SwitchEntityDescription(key=kind, translation_key=f"forward_{kind}")

def translated(err):
    if err:
        key = "timeout"
    else:
        key = "refused"
    return HomeAssistantError(translation_domain=DOMAIN, translation_key=key)
    ir.async_create_issue(hass, DOMAIN, "old", translation_key="deprecated")
"""


def test_translation_key_collector_sorts_keys_by_kind() -> None:
    found = translation_keys(ENTITY_SOURCE)
    assert found.entity == {
        "favorite",
        "presence",
        "presence_on",
        "presence_off",
        "forward_*",
    }
    assert found.exceptions == {
        "timeout",
        "refused",
        "invalid_status",
        "xuc_error",
        "not_ready",
        "auth_failed",
        "custom",
    }
    assert found.issues == {"deprecated"}


def test_entity_paths_use_the_platform_or_a_wildcard() -> None:
    paths = entity_paths({"select": {"presence"}, "entity": {"shared"}, "const": set()})
    assert paths == {"entity.select.presence", "entity.*.shared"}
    translations = flatten({"entity": {"sensor": {"shared": {"name": "S"}}}})
    assert missing_paths(paths, translations) == ["entity.select.presence"]
    icons = flatten({"entity": {"select": {"presence": {"state": {"a": "mdi:a"}}}}})
    assert missing_paths({f"{p}.default" for p in paths}, icons) == [
        "entity.*.shared.default",
        "entity.select.presence.default",
    ]


SERVICES = yaml.safe_load(
    """
lookup:
  fields:
    query:
      required: true
      selector:
        text:
    advanced:
      collapsed: true
      fields:
        limit:
          selector:
            number:
refresh:
"""
)


def test_service_collectors() -> None:
    assert service_fields(SERVICES) == {
        "lookup": {"query": "", "limit": "advanced"},
        "refresh": {},
    }
    required = service_translation_paths(SERVICES)
    assert required == {
        "services.lookup.name",
        "services.lookup.description",
        "services.lookup.fields.query.name",
        "services.lookup.fields.query.description",
        "services.lookup.fields.limit.name",
        "services.lookup.fields.limit.description",
        "services.lookup.sections.advanced.name",
        "services.refresh.name",
        "services.refresh.description",
    }
    translations = flatten(
        {
            "services": {
                "lookup": {
                    "name": "Lookup",
                    "description": "Search.",
                    "fields": {"query": {"name": "Query", "description": "Text."}},
                },
                "refresh": {"name": "Refresh", "description": "Refresh."},
            }
        }
    )
    assert missing_paths(required, translations) == [
        "services.lookup.fields.limit.description",
        "services.lookup.fields.limit.name",
        "services.lookup.sections.advanced.name",
    ]
    icons = flatten({"services": {"lookup": {"service": "mdi:magnify"}}})
    assert missing_paths(service_icon_paths(SERVICES), icons) == [
        "services.refresh.service"
    ]
    assert service_fields(None) == {}


def test_leaf_checkers() -> None:
    assert translation_leaf_problems({"a": "A", "b": "", "c": 3, "d": "[%key:x%]"}) == [
        "b: not a non-empty string",
        "c: not a non-empty string",
        "d: [%key:...%] references are not resolved here",
    ]
    assert icon_value_problems(
        {"a": "mdi:phone-in-talk", "b": "phone", "c": "mdi:Bad"}
    ) == [
        "b: 'phone'",
        "c: 'mdi:Bad'",
    ]


# ------------------------------------------------------------- checks of the project


def test_manifest() -> None:
    manifest = _load_json(INTEGRATION / "manifest.json")
    assert manifest_problems(manifest, INTEGRATION.name) == []


def test_hacs_json() -> None:
    assert hacs_problems(_load_json(ROOT / "hacs.json")) == []


def test_exactly_one_integration_folder() -> None:
    assert integration_folders(CUSTOM_COMPONENTS) == [INTEGRATION.name]


@pytest.mark.parametrize(("name", "size"), [("icon.png", 256), ("icon@2x.png", 512)])
def test_brand_icon(name: str, size: int) -> None:
    path = INTEGRATION / "brand" / name
    if name != "icon.png" and not path.exists():
        pytest.skip(f"brand/{name} is optional")
    header = png_header(path.read_bytes())
    assert header is not None, f"brand/{name} is not a PNG"
    assert header[:2] == (size, size)


def test_translation_files_have_the_same_keys() -> None:
    present = [lang for lang in LANGUAGES if (TRANSLATIONS / f"{lang}.json").is_file()]
    if not present:
        pytest.skip("translations not written yet")
    assert present == list(LANGUAGES), f"only {present} written"
    assert key_differences(_translations("en"), _translations("fr")) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_translation_values_are_plain_text(language: str) -> None:
    assert translation_leaf_problems(_translations(language)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_config_flow_translations(language: str) -> None:
    path = INTEGRATION / "config_flow.py"
    if not path.is_file():
        pytest.skip("config_flow.py not written yet")
    required = config_flow_paths(path.read_text(encoding="utf-8"))
    assert missing_paths(required, _translations(language)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_entity_translations(language: str) -> None:
    assert missing_paths(_entity_paths(), _translations(language)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_exception_and_issue_translations(language: str) -> None:
    modules = _modules().values()
    required = {f"exceptions.{key}.message" for m in modules for key in m.exceptions}
    required |= {f"issues.{key}.title" for m in modules for key in m.issues}
    if not required:
        pytest.skip("no exception or issue translation_key used yet")
    assert missing_paths(required, _translations(language)) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_service_translations(language: str) -> None:
    required = service_translation_paths(_services())
    assert missing_paths(required, _translations(language)) == []


def test_service_icons() -> None:
    assert missing_paths(service_icon_paths(_services()), _icons()) == []


def test_entity_icons() -> None:
    required = {f"{path}.default" for path in _entity_paths()}
    assert missing_paths(required, _icons()) == []


def test_icon_values() -> None:
    assert icon_value_problems(_icons()) == []
