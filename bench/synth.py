"""Write a synthetic Meshery model registry for benchmarks.

    python bench/synth.py OUT_DIR --components N [--models M] [--seed S] [--with-real DIR]

The layout and JSON shapes copy Meshery's v1beta1 registry (``<model>/<version>/v1.0.0/model.json``,
``components/<Kind>.json``, ``relationships/*.json``); the content is generated. Exactly N component files
are *published*: enabled, in an enabled model, in the newest version of that model. By default some noise the
real registry also has is added on top (ignored components, an ignored model, an older version of a model);
those files are read by a build but must not become pages, so they are not part of N.

Component schemas are CRD-like openAPIV3 trees (nested ``properties`` with ``description``, ``required``,
arrays of objects, enums, defaults, int-or-string, maps), grown to a sampled target size so that the
distribution of serialized schema strings is the one we want to benchmark against, not random padding.
Everything is derived from ``--seed``: the same arguments give byte-identical output.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import random
import re
import shutil
import statistics
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from statistics import NormalDist
from typing import Any

# The full Meshery registry the benchmark extrapolates to: ~615 models for ~5,000 component pages.
FULL_REGISTRY_MODELS = 615
FULL_REGISTRY_COMPONENTS = 5000
MARKER = ".meshdocs-synth"  # hidden, so registry loaders skip it; lets --force delete only our own output
HIDDEN_STATUSES = {"ignored"}
DATA_SUFFIXES = (".json", ".yaml", ".yml")  # registry definition files, as the build reads them
ZERO_ID = "00000000-0000-0000-0000-000000000000"
ZERO_TIME = "0001-01-01T00:00:00Z"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Serialized schema-string sizes (bytes) of the components registry-2024 publishes (977 of them), as
# quantiles (percent, bytes). 37 % are empty strings, which is what that snapshot really ships.
REGISTRY_2024_QUANTILES: tuple[tuple[float, int], ...] = tuple(
    (float(p), int(v))
    for p, v in (
        pair.split(":")
        for pair in _words(
            """
        0:0 35:0 40:555 45:1054 50:1853 55:2230 60:2765 65:3481 70:4164 75:5449 80:7479 85:10045 90:15096
        93:22697 95:30305 97:47628 98:68537 99:338541 99.5:357956 100:456545
        """
        )
    )
)

CATEGORIES: dict[str, tuple[str, ...]] = {
    "Analytics": ("Query", "Metrics", "Streaming & Messaging"),
    "App Definition and Development": (
        "Application Definition & Image Build",
        "Continuous Integration & Delivery",
        "Database",
        "Streaming & Messaging",
        "Framework",
        "Source Version Control",
    ),
    "Cloud Native Network": (
        "API Gateway",
        "Service Mesh",
        "Service Proxy",
        "CNI",
        "Content Delivery Network",
        "Coordination & Service Discovery",
        "Remote Procedure Call",
    ),
    "Cloud Native Storage": ("Cloud Native Storage", "Storage"),
    "Database": ("Database", "Query"),
    "Machine Learning": ("Machine Learning", "Framework"),
    "Observability and Analysis": ("Monitoring", "Logging", "Metrics", "Tracing", "Chaos Engineering"),
    "Orchestration & Management": (
        "Scheduling & Orchestration",
        "Coordination & Service Discovery",
        "Certified Kubernetes - Distribution",
        "Kubernetes",
    ),
    "Platform": ("Installable Platform", "Cloud Provider", "Compute"),
    "Provisioning": ("Automation & Configuration", "Key Management", "Container Registry", "Cloud Provider"),
    "Runtime": ("Container Runtime", "Operating System", "Container"),
    "Security & Compliance": (
        "Security Identity & Compliance",
        "Secrets Management",
        "Key Management Service",
        "Container Security",
    ),
    "Serverless": ("Framework", "Installable Platform"),
    "Tools": ("Flowchart", "Tools"),
    "Uncategorized": ("Uncategorized",),
}
CATEGORY_WEIGHTS = {
    "Uncategorized": 6,
    "App Definition and Development": 4,
    "Provisioning": 4,
    "Observability and Analysis": 3,
    "Cloud Native Network": 3,
    "Orchestration & Management": 3,
}
SHAPES = ("circle", "round-rectangle", "rectangle", "hexagon", "barrel", "octagon", "diamond", "pentagon")
REGISTRANTS = (("artifacthub", "Artifact Hub"), ("github", "GitHub"), ("meshery", "meshery"))

WORDS = _words(
    """
    access account action address affinity agent alert analysis annotation api archive artifact audit
    auth backend backup binding bucket budget cache canary capacity certificate channel check claim
    class client cluster code collector condition config connection consumer container context
    controller cron data database deadline delivery deployment destination device disk domain driver
    encryption endpoint engine entry environment event exporter expression filter firewall flow function
    gateway grant group header health hook host identity image index ingress instance interval issuer
    job key label lease limit link listener log mapping match member mesh metric mirror monitor mount
    namespace network node notification object operation option origin output parameter partition
    password path peer permission pipeline placement plan plugin policy pool port principal priority
    probe profile project protocol provider proxy queue quota range rate receiver record redirect region
    registry release replica report repository request resource retention retry revision role rollout
    route rule runner sample scale schedule scope secret selector sender server service session shard
    signal sink size snapshot source spec stage state storage strategy stream subnet subscription suffix
    tag target task template tenant threshold timeout tls token topic trace traffic trigger upstream
    user value vault version volume webhook weight window workflow workload zone
    """
)
ADJECTIVES = _words(
    """
    active additional automatic custom default desired dynamic effective external global initial
    internal last local managed maximum minimum optional primary private public remote required
    secondary shared static target temporary
    """
)
VERBS = _words(
    """
    apply attach create delete discover enforce expose forward inject limit manage merge mount observe
    promote reconcile resolve restore rotate route schedule select sync validate watch
    """
)
VENDORS = _words(
    """
    acme nimbus stratus kestrel tidal lumen quartz harbor orbit fjord cobalt meridian vector boreal
    sable zephyr atlas ember granite helix
    """
)
SENTENCES = (
    "{F} is the {a} {n} used by the {K} to {v} {ms}.",
    "{F} specifies how the controller should {v} the {n} when its {m} changes.",
    "If unset, the {n} defaults to the {a} {m} of the cluster.",
    "This field is immutable once the {K} has been created.",
    "More info: https://kubernetes.io/docs/concepts/{ns}/{m}/",
    "Deprecated: use {o} instead; this field will be removed in a future API version.",
    "Must be a valid DNS-1123 {n} name and at most 63 characters long.",
    "{F} is a list of {ns} that must be {vd} before the {m} becomes ready.",
    "Refer to the `{o}` field to configure the {m} of each {n}.",
    "When omitted, the {K} controller picks a {a} {n} and records it in the status.",
    "The {n} is resolved relative to the namespace of the {K}.",
    "Only one of `{o}` and `{F2}` may be set.",
    "Changing this value triggers a new {n} {m} and a rolling restart.",
    "Specifies the {a} {n} in seconds after which the {m} is considered failed.",
    "A reference to a {n} in the same namespace; the {m} must exist before the {K} is reconciled.",
    "Valid values are listed below; values outside the list are rejected by the admission webhook.",
    "The {a} {n} takes precedence over the {m} configured on the {K}.",
    "{F} holds key/value pairs that are copied to every {n} the {K} creates.",
)
# Meshery's capability shape with our own wording: "displayName | entityState | kind | subType | type",
# then the description on the next line.
_CAPABILITY_LINES = """
    Performance Test | instance | action | perf-test | operator
    Run a load test against the deployed component and keep the results.
    Workload Configuration | declaration | mutate | config | configuration
    Edit the workload settings of the component.
    Labels and Annotations Configuration | declaration | mutate | labels-and-annotations | configuration
    Edit the labels and annotations of the component.
    Relationships | declaration instance | view | relationship | configuration
    Show the relationships this component takes part in.
    Json Schema | declaration instance | view | definition | configuration
    Show the definition of the component.
    Styling | declaration | mutate |  | style
    Edit how the component is drawn.
    Change Shape | declaration | mutate | shape | style
    Pick another shape for the component.
    Compound Drag And Drop | declaration | interaction | compoundDnd | graph
    Drop the component into a parent component on the canvas.
""".strip().splitlines()
CAPABILITIES = tuple(
    (*(part.strip() for part in head.split("|")), desc.strip())
    for head, desc in zip(_CAPABILITY_LINES[::2], _CAPABILITY_LINES[1::2], strict=True)
)


# ---------------------------------------------------------------------------------------------- sizes


@dataclass(frozen=True)
class SizeSampler:
    """Target sizes of serialized schema strings.

    ``lognormal`` is the default: median and p99 fix mu and sigma, ``max_bytes`` trims the far tail that
    a lognormal fit invents but real CRDs don't reach. ``registry-2024`` resamples the real snapshot's
    quantiles.
    """

    profile: str = "lognormal"
    median_bytes: int = 21_000
    p99_bytes: int = 650_000
    max_bytes: int = 1_200_000
    min_bytes: int = 300

    def sample(self, rng: random.Random) -> int:
        """One size, for the odd extra file."""
        return self.size_at(rng.random())

    def size_at(self, u: float) -> int:
        """The size at cumulative probability ``u`` (the inverse CDF)."""
        if self.profile == "registry-2024":
            return _from_quantiles(REGISTRY_2024_QUANTILES, u)
        sigma = math.log(self.p99_bytes / self.median_bytes) / NormalDist().inv_cdf(0.99)
        u = min(max(u, 1e-12), 1 - 1e-12)
        value = self.median_bytes * math.exp(sigma * NormalDist().inv_cdf(u))
        return int(min(self.max_bytes, max(self.min_bytes, value)))

    def stratified(self, rng: random.Random, count: int) -> list[int]:
        """``count`` sizes, one from each of ``count`` equal-probability strata, shuffled.

        Plain sampling puts the p99 of 5,000 draws about 8 % off at random; stratifying makes every seed
        reproduce the target quantiles while staying random within each stratum.
        """
        sizes = [self.size_at((i + rng.random()) / count) for i in range(count)]
        rng.shuffle(sizes)
        return sizes


def _from_quantiles(table: Sequence[tuple[float, int]], u: float) -> int:
    """Inverse CDF by interpolation between quantiles, geometric where both ends are non-zero."""
    p = u * 100
    for (p0, v0), (p1, v1) in itertools.pairwise(table):
        if p <= p1:
            t = 0.0 if p1 == p0 else (p - p0) / (p1 - p0)
            if v0 <= 0 or v1 <= 0:
                return int(v0 + (v1 - v0) * t)
            return int(v0 * (v1 / v0) ** t)
    return table[-1][1]


def distribution(values: Iterable[int]) -> dict[str, float]:
    """Median/p90/p99/max (nearest rank) of sizes, in bytes."""
    data = sorted(values)
    if not data:
        return {"count": 0}

    def rank(q: float) -> int:
        return data[min(len(data) - 1, max(0, math.ceil(q * len(data)) - 1))]

    return {
        "count": len(data),
        "median": statistics.median(data),
        "p90": rank(0.90),
        "p99": rank(0.99),
        "max": data[-1],
        "mean": round(statistics.fmean(data)),
        "total": sum(data),
    }


def format_distribution(d: dict[str, float]) -> str:
    if not d.get("count"):
        return "no schemas"
    kb = {k: d[k] / 1000 for k in ("median", "p90", "p99", "max", "mean")}
    return (
        f"{d['count']} schemas: median {kb['median']:.1f} KB, p90 {kb['p90']:.1f} KB, "
        f"p99 {kb['p99']:.1f} KB, "
        f"max {kb['max']:.1f} KB, mean {kb['mean']:.1f} KB, total {d['total'] / 1e6:.1f} MB"
    )


# ---------------------------------------------------------------------------------------- publishing


def version_key(version: str) -> tuple[Any, ...]:
    """Semver-like order: a leading v is ignored, numbers compare as numbers, a pre-release sorts first."""
    core, _, pre = version.strip().lstrip("vV").split("+", 1)[0].partition("-")
    nums = tuple((int(p), "") if p.isdigit() else (-1, p) for p in core.split("."))
    pre_key = tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in pre.split(".")) if pre else ()
    return (nums, not pre, pre_key)


@dataclass
class Published:
    """What the publishing rule makes of a registry folder: pages to expect."""

    models: int = 0
    components: int = 0
    model_names: list[str] = field(default_factory=list)
    skipped_models: list[str] = field(default_factory=list)


def count_published(root: Path) -> Published:
    """Apply the rule: newest upstream version per model; skip models and components whose status is ignored.

    A model.json without a ``models.*`` schemaVersion is a placeholder (registry-2024 has 8 with every
    field empty); the model is then known from the copy each component carries, status included. A version
    counts only if it defines the model that way, so a folder with only relationships hides nothing.
    """
    result = Published()
    for model_dir, model, comps in _newest_versions(root):
        if _status(model) in HIDDEN_STATUSES:
            result.skipped_models.append(model_dir.name)
            continue
        result.models += 1
        result.model_names.append(model_dir.name)
        result.components += sum(1 for _, c in comps if _status(c) not in HIDDEN_STATUSES)
    return result


def first_published_component(root: Path) -> Path | None:
    """The file of the first published component, models and files in sorted order (what run.py edits)."""
    for _model_dir, model, comps in _newest_versions(root):
        if _status(model) not in HIDDEN_STATUSES:
            for path, comp in comps:
                if path.suffix == ".json" and _status(comp) not in HIDDEN_STATUSES:
                    return path
    return None


def _newest_versions(
    root: Path,
) -> Iterator[tuple[Path, dict[str, Any], list[tuple[Path, dict[str, Any]]]]]:
    """Per model folder, in sorted order: the newest version that defines the model, with its components."""
    for model_dir in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(".")):
        versions: list[tuple[Path, dict[str, Any], list[tuple[Path, dict[str, Any]]]]] = []
        for version_dir in model_dir.iterdir():
            defs = version_dir / "v1.0.0"
            model = next((_read(m) for m in (defs / f"model{x}" for x in DATA_SUFFIXES) if m.is_file()), {})
            if not str(model.get("schemaVersion") or "").startswith("models."):
                model = {}
            files = (c for x in DATA_SUFFIXES for c in (defs / "components").glob(f"*{x}"))
            comps = [(c, _read(c)) for c in sorted(files)]
            if not model and comps:
                first = comps[0][1].get("model")
                model = first if isinstance(first, dict) else {}
            if model or comps:
                versions.append((version_dir, model, comps))
        if versions:
            _, model, comps = max(versions, key=lambda v: version_key(v[0].name))
            yield model_dir, model, comps


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError:
        return {}
    if path.suffix != ".json":
        # YAML (catalog/models has some): top-level scalars only, which is all the counting needs
        # (schemaVersion, status) and all the standard library can read without a YAML parser.
        text = raw.decode("utf-8", errors="replace")
        pairs = re.findall(r"^([A-Za-z_]\w*):[ \t]+(\S.*?)[ \t]*$", text, re.M)
        return {key: value.strip("'\"") for key, value in pairs}
    try:
        data = json.loads(raw)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def _status(data: Any) -> str:
    return str(data.get("status") or "").strip().lower() if isinstance(data, dict) else ""


# ------------------------------------------------------------------------------------------ schemas
# Every node is built together with its exact serialized length so a schema can be grown to a target size
# without serializing it over and over. (base, newlines): length at indent level 0 and the number of line
# breaks inside it; at level L the node takes base + L * newlines characters with json.dumps(indent=1).

Node = tuple[Any, int, int]


def _str_len(text: str) -> int:
    # json.dumps escapes; the writer then Go-escapes <, > and & as \u003c etc. (+5 characters each).
    return len(json.dumps(text)) + 5 * (text.count("<") + text.count(">") + text.count("&"))


def _measure(value: Any) -> tuple[int, int]:
    """Exact (base, newlines) of a small value, for leaves; containers built by _obj/_arr carry theirs."""
    if isinstance(value, str):
        return _str_len(value), 0
    if isinstance(value, bool) or value is None:
        return len(json.dumps(value)), 0
    if isinstance(value, int | float):
        return len(json.dumps(value)), 0
    if isinstance(value, dict):
        return _obj((k, (v, *_measure(v))) for k, v in value.items())[1:]
    return _arr((v, *_measure(v)) for v in value)[1:]


def _obj(items: Iterable[tuple[str, Node]]) -> Node:
    out: dict[str, Any] = {}
    base, nl, count = 2, 0, 0
    for key, (value, vbase, vnl) in items:
        out[key] = value
        base += 2 + _str_len(key) + 2 + vbase + vnl
        nl += 1 + vnl
        count += 1
    if not count:
        return out, 2, 0
    return out, base + count, nl + 1  # count-1 commas + final newline


def _arr(items: Iterable[Node]) -> Node:
    out: list[Any] = []
    base, nl = 2, 0
    for value, vbase, vnl in items:
        out.append(value)
        base += 2 + vbase + vnl
        nl += 1 + vnl
    if not out:
        return out, 2, 0
    return out, base + len(out), nl + 1


def _leaf(value: Any) -> Node:
    return (value, *_measure(value))


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    return word + ("es" if word.endswith(("s", "x", "ch", "sh")) else "s")


def _camel(words: Sequence[str]) -> str:
    return words[0] + "".join(w[:1].upper() + w[1:] for w in words[1:])


def _pascal(words: Sequence[str]) -> str:
    return "".join(w[:1].upper() + w[1:] for w in words)


class SchemaWriter:
    """Grows one CRD-like openAPIV3 schema to a target size with a private random stream."""

    def __init__(self, rng: random.Random, kind: str) -> None:
        self.rng = rng
        self.kind = kind
        self.max_depth = 3

    # text -----------------------------------------------------------------------------------------
    def field_name(self) -> str:
        rng = self.rng
        n = rng.choices((1, 2, 3), (4, 5, 1))[0]
        words = [
            rng.choice(ADJECTIVES) if i == 0 and n > 1 and rng.random() < 0.3 else rng.choice(WORDS)
            for i in range(n)
        ]
        return _camel(words)

    def description(self, name: str) -> str:
        rng = self.rng
        words = re.sub(r"([A-Z])", r" \1", name).lower()
        out = []
        for _ in range(rng.choices((1, 2, 3, 4, 6), (30, 35, 20, 10, 5))[0]):
            template = rng.choice(SENTENCES)
            n, m, v = rng.choice(WORDS), rng.choice(WORDS), rng.choice(VERBS)
            text = template.format(
                F=words[:1].upper() + words[1:],
                F2=name,
                K=self.kind,
                a=rng.choice(ADJECTIVES),
                n=n,
                ns=_plural(n),
                m=m,
                ms=_plural(m),
                v=v,
                vd=v + "d" if v.endswith("e") else v[:-1] + "ied" if v.endswith("y") else v + "ed",
                o=self.field_name(),
            )
            out.append(text)
        return ("\n" if rng.random() < 0.35 else " ").join(out)

    # nodes ----------------------------------------------------------------------------------------
    def leaf(self, name: str) -> Node:
        rng = self.rng
        r = rng.random()
        node: dict[str, Any] = {}
        if rng.random() < 0.75:
            node["description"] = self.description(name)
        if r < 0.48:
            node["type"] = "string"
            x = rng.random()
            if x < 0.12:
                values = [_pascal([rng.choice(WORDS)]) for _ in range(rng.randint(2, 7))]
                node["enum"] = list(dict.fromkeys(values))
                if rng.random() < 0.5:
                    node["default"] = node["enum"][0]
            elif x < 0.2:
                node["format"] = rng.choice(("date-time", "byte", "uri", "duration"))
            elif x < 0.26:
                node["pattern"] = rng.choice(
                    (
                        r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$",
                        r"^(\d+)(s|m|h)$",
                        r"^arn:aws:[a-z0-9-]+:.*$",
                        r"^[A-Za-z0-9+/=]*$",
                    )
                )
            elif x < 0.3:
                node["maxLength"] = rng.choice((63, 128, 253, 1024))
                node["minLength"] = 1
            elif x < 0.36:
                node["default"] = rng.choice(("", "default", "Always", "IfNotPresent", "None", "30s"))
        elif r < 0.64:
            node["type"] = "integer"
            node["format"] = rng.choice(("int32", "int64"))
            if rng.random() < 0.25:
                node["minimum"] = rng.choice((0, 1))
                if rng.random() < 0.5:
                    node["maximum"] = rng.choice((65535, 100, 3600, 2147483647))
            if rng.random() < 0.15:
                node["default"] = rng.choice((0, 1, 3, 10, 30, 100))
        elif r < 0.74:
            node["type"] = "boolean"
            if rng.random() < 0.2:
                node["default"] = rng.random() < 0.5
        elif r < 0.77:
            node["type"] = "number"
        elif r < 0.83:
            node["anyOf"] = [{"type": "integer"}, {"type": "string"}]
            node["x-kubernetes-int-or-string"] = True
        elif r < 0.91:
            node["type"] = "object"
            node["additionalProperties"] = {"type": "string"}
        elif r < 0.98:
            node["type"] = "array"
            node["items"] = {"type": "string"}
            if rng.random() < 0.3:
                node["x-kubernetes-list-type"] = rng.choice(("atomic", "set"))
        else:
            node["type"] = "object"
            node["x-kubernetes-preserve-unknown-fields"] = True
        return _leaf(node)

    def properties(self, depth: int, budget: int) -> tuple[Node, list[str]]:
        """A ``properties`` map worth about ``budget`` characters; composite children while deep enough."""
        rng = self.rng
        items: list[tuple[str, Node]] = []
        names: set[str] = set()
        used = 0
        while not items or used < budget - 90:  # stop when the next field would overshoot
            name = self.field_name()
            while name in names:
                name = self.field_name() if rng.random() < 0.9 else f"{name}{len(names)}"
            names.add(name)
            remaining = budget - used
            if (
                depth < self.max_depth
                and remaining > 1500
                and rng.random() < 0.35 + min(0.5, remaining / 40000)
            ):
                share = min(remaining, max(700, int(remaining * rng.uniform(0.15, 0.65))))
                child = self.composite(name, depth + 1, share)
            else:
                child = self.leaf(name)
            # key + separators + the child's lines one level deeper, as _obj will count them
            used += _str_len(name) + 6 + depth + child[1] + child[2] * (depth + 2)
            items.append((name, child))
        required = [n for n, _ in items if rng.random() < 0.2]
        return _obj(items), required

    def composite(self, name: str, depth: int, budget: int) -> Node:
        """An object, or an array of objects, whose fields share ``budget``."""
        rng = self.rng
        props, required = self.properties(depth, budget)
        obj: list[tuple[str, Node]] = []
        if rng.random() < 0.7:
            obj.append(("description", _leaf(self.description(name))))
        obj.append(("properties", props))
        if required:
            obj.append(("required", _leaf(required)))
        obj.append(("type", _leaf("object")))
        if rng.random() < 0.28:
            outer: list[tuple[str, Node]] = []
            if rng.random() < 0.7:
                outer.append(("description", _leaf(self.description(name))))
            outer.append(("items", _obj(obj)))
            outer.append(("type", _leaf("array")))
            if rng.random() < 0.3:
                outer.append(("x-kubernetes-list-map-keys", _leaf(["name"])))
                outer.append(("x-kubernetes-list-type", _leaf("map")))
            return _obj(outer)
        if rng.random() < 0.05:
            obj.append(("x-kubernetes-map-type", _leaf("atomic")))
        return _obj(obj)

    def schema(self, target: int, title: str) -> str:
        """The schema string, serialized as Meshery stores it (indent 1, sorted keys, Go HTML escaping)."""
        if target <= 0:
            return ""
        rng = self.rng
        # Deep trees for big schemas, as real CRDs embed pod templates and the like.
        if target < 4_000:
            self.max_depth = rng.randint(2, 3)
        elif target < 40_000:
            self.max_depth = rng.randint(3, 6)
        else:
            self.max_depth = rng.randint(6, 8)
        described, spec_required = rng.random() < 0.6, rng.random() < 0.35
        spec_described = target > 1_000 or rng.random() < 0.2  # small schemas are terse
        described = described and spec_described

        def assemble(spec: Node, required: list[str]) -> Node:
            top: list[tuple[str, Node]] = []
            if described:
                top.append(
                    ("description", _leaf(f"{self.kind} is the Schema for the {self.kind.lower()}s API"))
                )
            spec_obj = []
            if spec_described:
                spec_obj.append(
                    ("description", _leaf(f"{self.kind}Spec is the desired state of {self.kind}"))
                )
            spec_obj.append(("properties", spec))
            if required:
                spec_obj.append(("required", _leaf(required)))
            spec_obj.append(("type", _leaf("object")))
            top.append(("properties", _obj([("spec", _obj(spec_obj))])))
            if spec_required:
                top.append(("required", _leaf(["spec"])))
            top.append(("title", _leaf(title)))
            top.append(("type", _leaf("object")))
            return _obj(top)

        skeleton = assemble(_obj([]), [])[1] - 2  # everything but the fields of spec
        if target - skeleton < 150:  # too small for any field: an open object, as some real CRDs have
            root, length, _ = _obj(
                [
                    ("title", _leaf(title)),
                    ("type", _leaf("object")),
                    ("x-kubernetes-preserve-unknown-fields", _leaf(True)),
                ]
            )
            return go_escape(json.dumps(root, indent=1, sort_keys=True))
        props, required = self.properties(2, target - skeleton)
        root, length, _ = assemble(props, required)
        text = go_escape(json.dumps(root, indent=1, sort_keys=True))
        assert len(text) == length, (len(text), length)  # the size accounting above is exact
        return text


def go_escape(text: str) -> str:
    """Go's encoding/json escapes <, > and & even inside strings; Meshery's files carry that."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def dump_go(data: Any) -> str:
    """Like Go's json.MarshalIndent(v, " ", " "), which is how the registry files are laid out."""
    return go_escape(json.dumps(data, indent=1)).replace("\n", "\n ") + "\n"


# ------------------------------------------------------------------------------------------- models


@dataclass
class ModelPlan:
    """Everything a worker needs to write one model deterministically."""

    index: int
    seed: str
    name: str
    display: str
    version: str
    category: str
    sub_category: str
    sizes: list[int]  # published components' schema targets
    ignored_sizes: list[int] = field(default_factory=list)  # ignored components in the published version
    old_version: str = ""  # an older version with a couple of components, not published
    model_status: str = "enabled"


@dataclass
class WriteResult:
    name: str
    published_schema_sizes: list[int]
    files: int
    bytes: int
    published_components: int
    relationships: int


def svg_icon(rng: random.Random, color: str, label: str, white: bool = False) -> str:
    """A small own SVG: a shape and two letters, a few hundred bytes like simple vendor icons."""
    fill = "#FFFFFF" if white else color
    ink = color if white else "#FFFFFF"
    shape = rng.choice(
        (
            f'<circle cx="16" cy="16" r="15" fill="{fill}"/>',
            f'<rect x="1" y="1" width="30" height="30" rx="6" fill="{fill}"/>',
            f'<path d="M16 1 29 8.5v15L16 31 3 23.5v-15z" fill="{fill}"/>',
        )
    )
    extra = f'<path d="M{rng.randint(4, 12)} 24h{rng.randint(8, 16)}" stroke="{ink}" stroke-width="2"/>'
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">'
        f'{shape}<text x="16" y="20" font-family="sans-serif" font-size="11" text-anchor="middle" '
        f'fill="{ink}">{label[:2]}</text>{extra}</svg>'
    )


def _color(rng: random.Random) -> str:
    return f"#{rng.randrange(0x1000000):06X}"


def model_document(plan: ModelPlan, version: str, status: str, rng: random.Random) -> dict[str, Any]:
    """model.json in the v1beta1 shape."""
    primary, secondary = _color(rng), _color(rng)
    reg_kind, reg_name = rng.choice(REGISTRANTS)
    label = "".join(w[:1] for w in plan.display.split()[:2]).upper() or "M"
    return {
        "category": {"name": plan.category},
        "displayName": plan.display,
        "id": ZERO_ID,
        "metadata": {
            "capabilities": None,
            "isAnnotation": False,
            "primaryColor": primary,
            "secondaryColor": secondary,
            "shape": rng.choice(SHAPES),
            "source_uri": f"https://charts.example.org/{plan.name.replace(' ', '-')}/{version}.tgz",
            "styleOverrides": "",
            "svgColor": svg_icon(rng, primary, label),
            "svgComplete": "",
            "svgWhite": svg_icon(rng, primary, label, white=True),
        },
        "model": {"version": version},
        "name": plan.name,
        "registrant": {
            "created_at": ZERO_TIME,
            "credential_id": ZERO_ID,
            "deleted_at": ZERO_TIME,
            "id": ZERO_ID,
            "kind": reg_kind,
            "name": reg_name,
            "status": "discovered",
            "sub_type": "",
            "type": "registry",
            "updated_at": ZERO_TIME,
            "user_id": ZERO_ID,
        },
        "connection_id": ZERO_ID,
        "schemaVersion": "models.meshery.io/v1beta1",
        "status": status,
        "subCategory": plan.sub_category,
        "version": "v1.0.0",
        "components": None,
        "relationships": None,
    }


def component_document(
    model: dict[str, Any], kind: str, api_version: str, schema: str, status: str, rng: random.Random
) -> dict[str, Any]:
    """components/<Kind>.json in the v1beta1 shape; the model is repeated inside, as Meshery does."""
    embedded = {k: v for k, v in model.items()}
    embedded["metadata"] = {k: v for k, v in model["metadata"].items() if k != "capabilities"}
    meta = model["metadata"]
    own_icon = rng.random() < 0.6
    label = "".join(c for c in kind if c.isupper())[:2] or kind[:2]
    return {
        "capabilities": [
            {
                "description": desc,
                "displayName": display,
                "entityState": states.split(),
                "key": "",
                "kind": ckind,
                "metadata": None,
                "schemaVersion": "capability.meshery.io/v1alpha1",
                "status": "enabled",
                "subType": sub,
                "type": ctype,
                "version": "0.7.0",
            }
            for display, states, ckind, sub, ctype, desc in CAPABILITIES
        ],
        "component": {"kind": kind, "schema": schema, "version": api_version},
        "configuration": None,
        "description": "",
        "displayName": re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind),
        "format": "JSON",
        "id": ZERO_ID,
        "metadata": {
            "genealogy": "",
            "isAnnotation": False,
            "isNamespaced": rng.random() < 0.8,
            "published": False,
        },
        "model": embedded,
        "schemaVersion": "components.meshery.io/v1beta1",
        "status": status,
        "styles": {
            "primaryColor": meta["primaryColor"],
            "secondaryColor": meta["secondaryColor"],
            "shape": meta["shape"],
            "svgColor": svg_icon(rng, meta["primaryColor"], label) if own_icon else meta["svgColor"],
            "svgWhite": svg_icon(rng, meta["primaryColor"], label, white=True)
            if own_icon
            else meta["svgWhite"],
        },
        "version": "v1.0.0",
    }


def relationship_document(
    model: dict[str, Any], from_kind: str, to_kind: str, edge: bool, rng: random.Random
) -> dict[str, Any]:
    """relationships/*.json in the v1alpha3 shape: a parent/inventory hierarchy or a network edge."""
    ref = {"name": model["name"], "registrant": {"kind": model["registrant"]["kind"]}}
    side_from: dict[str, Any] = {"kind": from_kind, "model": ref}
    side_to: dict[str, Any] = {"kind": to_kind, "model": ref}
    if edge:
        side_from["patch"] = {
            "patchStrategy": "replace",
            "mutatorRef": [["configuration", "spec", "selector"]],
        }
        side_to["patch"] = {
            "patchStrategy": "replace",
            "mutatedRef": [["configuration", "metadata", "labels"]],
        }
    return {
        "schemaVersion": "relationships.meshery.io/v1alpha3",
        "version": "v1.0.0",
        "kind": "edge" if edge else "hierarchical",
        "metadata": {
            "description": (
                f"{to_kind} sends traffic to {from_kind} over the network."
                if edge
                else f"A {to_kind} belongs to a {from_kind}, which must exist before the {to_kind} is made."
            )
        },
        "subType": "network" if edge else "inventory",
        "type": "non-binding" if edge else "parent",
        "model": {
            "schemaVersion": "models.meshery.io/v1beta1",
            "version": "v1.0.0",
            "name": model["name"],
            "registrant": {"kind": model["registrant"]["kind"]},
            "model": {"version": model["model"]["version"]},
            "displayName": model["displayName"],
            "category": {"name": model["category"]["name"], "metadata": None},
            "metadata": {},
        },
        "status": "enabled",
        "selectors": [{"allow": {"from": [side_from], "to": [side_to]}, "deny": {"from": [], "to": []}}],
    }


def _kinds(rng: random.Random, count: int) -> list[str]:
    """Distinct (case-insensitively) PascalCase kinds; a number only after many collisions."""
    seen: set[str] = set()
    out = []
    while len(out) < count:
        for attempt in range(50):
            kind = _pascal([rng.choice(WORDS) for _ in range(rng.choices((1, 2, 3), (3, 6, 2))[0])])
            if attempt == 49:
                kind = f"{kind}{len(out)}"
            if kind.lower() not in seen:
                break
        seen.add(kind.lower())
        out.append(kind)
    return out


def _write(path: Path, text: str) -> int:
    data = text.encode("ascii")
    path.write_bytes(data)
    return len(data)


def write_model(root: str, plan: ModelPlan) -> WriteResult:
    """Write one model (all its versions); runs in a worker process, so it only takes plain data."""
    rng = random.Random(plan.seed)
    files = total = rels = 0
    sizes: list[int] = []
    versions = [(plan.version, plan.model_status, plan.sizes, plan.ignored_sizes)]
    if plan.old_version:
        versions.append((plan.old_version, "enabled", plan.sizes[:2] or [1000], []))
    group = f"{rng.choice(WORDS)}.{plan.name.split('-')[1] if '-' in plan.name else 'synth'}.io"
    kinds = _kinds(rng, len(plan.sizes) + len(plan.ignored_sizes))
    for version, status, enabled_sizes, ignored_sizes in versions:
        base = Path(root) / plan.name / version / "v1.0.0"
        (base / "components").mkdir(parents=True, exist_ok=True)
        model = model_document(plan, version, status, rng)
        total += _write(base / "model.json", dump_go(model))
        files += 1
        published_version = version == plan.version
        specs = [(s, "enabled") for s in enabled_sizes] + [(s, "ignored") for s in ignored_sizes]
        for kind, (size, comp_status) in zip(kinds, specs, strict=False):
            api_version = f"{group}/{rng.choice(('v1', 'v1', 'v1beta1', 'v1alpha1', 'v2'))}"
            title = re.sub(r"(?<=[a-z])(?=[A-Z])", " ", kind)
            schema = SchemaWriter(random.Random(f"{plan.seed}/{version}/{kind}"), kind).schema(size, title)
            doc = component_document(model, kind, api_version, schema, comp_status, rng)
            total += _write(base / "components" / f"{kind}.json", dump_go(doc))
            files += 1
            if published_version and comp_status == "enabled" and status not in HIDDEN_STATUSES:
                sizes.append(len(schema))
        published_kinds = kinds[: len(enabled_sizes)]
        if published_version and len(published_kinds) >= 2 and rng.random() < 0.3:
            (base / "relationships").mkdir(exist_ok=True)
            pairs = {tuple(rng.sample(published_kinds, 2)) for _ in range(rng.randint(1, 4))}
            for i, (a, b) in enumerate(sorted(pairs)):
                edge = rng.random() < 0.25
                doc = relationship_document(model, a, b, edge, rng)
                # Real file names do not always match the content; keep them unique and plausible.
                kind = "edge-network" if edge else "hierarchical-parent-inventory"
                total += _write(
                    base / "relationships" / f"{kind}-{a.lower()}-to-{b.lower()}-{i}.json", dump_go(doc)
                )
                files += 1
                rels += 1
    published = len(plan.sizes) if plan.model_status not in HIDDEN_STATUSES else 0
    return WriteResult(plan.name, sizes, files, total, published, rels)


# ------------------------------------------------------------------------------------------ planning


def default_models(components: int, real_models: int = 0) -> int:
    """Keep the full registry's ratio (615 models for ~5,000 components), less the real models added."""
    total = min(
        FULL_REGISTRY_MODELS, max(1, math.ceil(components * FULL_REGISTRY_MODELS / FULL_REGISTRY_COMPONENTS))
    )
    return max(1, total - real_models)


def _spread(rng: random.Random, total: int, buckets: int) -> list[int]:
    """Split ``total`` over ``buckets``, each >= 1, heavy-tailed: a few models have hundreds of components."""
    weights = [rng.lognormvariate(0, 1.3) for _ in range(buckets)]
    extra = total - buckets
    raw = [extra * w / sum(weights) for w in weights]
    counts = [1 + int(r) for r in raw]
    order = sorted(range(buckets), key=lambda i: raw[i] - int(raw[i]), reverse=True)
    for i in order[: total - sum(counts)]:
        counts[i] += 1
    return counts


def plan_models(
    components: int, models: int, seed: int, sampler: SizeSampler, noise: bool, taken: set[str]
) -> list[ModelPlan]:
    """Decide names, versions, categories and schema sizes for every synthetic model, in one random stream."""
    rng = random.Random(seed)
    models = min(models, components)
    counts = _spread(rng, components, models) if models else []
    pool = sampler.stratified(rng, components)
    cats = list(CATEGORIES)
    cat_weights = [CATEGORY_WEIGHTS.get(c, 1) for c in cats]
    plans = []
    for i, count in enumerate(counts):
        vendor, word = rng.choice(VENDORS), rng.choice(WORDS)
        name = f"synth-{vendor}-{word}-{i:04d}"
        display = f"{vendor.title()} {word.title()} {i}"
        if rng.random() < 0.02:  # the real registry has model names with spaces
            name = display = f"Synth {vendor.title()} {word.title()} {i}"
        if name.lower() in taken:
            name = f"{name}-x"
        taken.add(name.lower())
        category = rng.choices(cats, cat_weights)[0]
        major, minor, patch = rng.randint(0, 3), rng.randint(0, 30), rng.randint(0, 20)
        version = rng.choice(("{}.{}.{}", "v{}.{}.{}")).format(major, minor, patch)
        if rng.random() < 0.05:
            version += rng.choice(("-rc.1", "-beta.2", "-5.c6502f5"))
        plan = ModelPlan(
            index=i,
            seed=f"{seed}:{i}",
            name=name,
            display=display,
            version=version,
            category=category,
            sub_category=rng.choice(CATEGORIES[category]),
            sizes=[pool.pop() for _ in range(count)],
        )
        if noise:
            plan.ignored_sizes = [
                sampler.sample(rng) for _ in range(sum(rng.random() < 0.05 for _ in range(count)))
            ]
            if rng.random() < 0.05:  # an older release is kept next to the newest
                plan.old_version = f"{max(0, major - 1)}.{minor}.{patch}"
                if version_key(plan.old_version) >= version_key(version):
                    plan.old_version = ""
        plans.append(plan)
    if noise and plans:
        # One model that is wholly ignored: its files are read but publish nothing; not part of N or M.
        extra = random.Random(f"{seed}:ignored-model")
        plans.append(
            ModelPlan(
                index=len(plans),
                seed=f"{seed}:ignored",
                name=f"synth-ignored-{len(plans):04d}",
                display="Ignored Model",
                version="1.0.0",
                category="Uncategorized",
                sub_category="Uncategorized",
                sizes=[sampler.sample(extra) for _ in range(3)],
                model_status="ignored",
            )
        )
    return plans


@dataclass
class SynthResult:
    """What was written, and what a correct build should publish from it."""

    out_dir: str
    seed: int
    profile: str
    components: int  # published component pages expected in total
    models: int  # published models expected in total
    synthetic_components: int
    synthetic_models: int
    real_components: int
    real_models: int
    files: int
    bytes: int
    relationships: int
    seconds: float
    schema_sizes: dict[str, float]  # distribution over synthetic published components


def _copy_real(real: Path, out: Path) -> int:
    """Copy the real registry in at run time (the build skips links out of its tree, so links won't do)."""
    copied = 0
    for model_dir in sorted(p for p in real.iterdir() if p.is_dir() and not p.name.startswith(".")):
        shutil.copytree(model_dir, out / model_dir.name)
        copied += 1
    return copied


def prepare_out(out: Path, force: bool) -> None:
    """Create ``out``; replace it only if it is empty or one of ours (has the marker file)."""
    if out.exists() and any(out.iterdir()):
        if not force or not (out / MARKER).is_file():
            raise SystemExit(
                f"{out} exists and is not empty; use --force to replace an earlier synth.py output"
            )
        shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)
    (out / MARKER).write_text("written by bench/synth.py; safe to delete\n")


def generate(
    out: Path,
    components: int,
    models: int | None = None,
    seed: int = 1,
    sampler: SizeSampler | None = None,
    with_real: Path | None = None,
    noise: bool = True,
    jobs: int | None = None,
    force: bool = False,
) -> SynthResult:
    """Write the registry; ``components`` counts published component pages, real ones included."""
    started = time.perf_counter()
    sampler = sampler or SizeSampler()
    real = count_published(with_real) if with_real is not None else Published()
    if components < real.components:
        raise SystemExit(
            f"--components {components} is below the {real.components} the real registry publishes"
        )
    prepare_out(out, force)
    taken: set[str] = set()
    if with_real is not None:
        _copy_real(with_real, out)
        taken = {p.name.lower() for p in out.iterdir()}
    synth_components = components - real.components
    synth_models = models if models is not None else default_models(components, real.models)
    synth_models = min(synth_models, synth_components)
    plans = plan_models(synth_components, synth_models, seed, sampler, noise, taken)
    jobs = jobs or min(2, os.cpu_count() or 1)
    results: list[WriteResult] = []
    if jobs > 1 and len(plans) > 1:
        with ProcessPoolExecutor(jobs) as pool:
            results = list(pool.map(write_model, [str(out)] * len(plans), plans, chunksize=1))
    else:
        results = [write_model(str(out), p) for p in plans]
    sizes = [s for r in results for s in r.published_schema_sizes]
    published_synth = sum(r.published_components for r in results)
    assert published_synth == synth_components, (published_synth, synth_components)
    return SynthResult(
        out_dir=str(out),
        seed=seed,
        profile=sampler.profile,
        components=real.components + published_synth,
        models=real.models + sum(1 for p in plans if p.model_status not in HIDDEN_STATUSES),
        synthetic_components=published_synth,
        synthetic_models=sum(1 for p in plans if p.model_status not in HIDDEN_STATUSES),
        real_components=real.components,
        real_models=real.models,
        files=sum(r.files for r in results),
        bytes=sum(r.bytes for r in results),
        relationships=sum(r.relationships for r in results),
        seconds=round(time.perf_counter() - started, 2),
        schema_sizes=distribution(sizes),
    )


def sampler_from_args(args: argparse.Namespace) -> SizeSampler:
    return SizeSampler(
        profile=args.size_profile,
        median_bytes=int(args.median_kb * 1000),
        p99_bytes=int(args.p99_kb * 1000),
        max_bytes=int(args.max_kb * 1000),
    )


def add_size_options(parser: argparse.ArgumentParser) -> None:
    """Options shared with run.py."""
    parser.add_argument(
        "--size-profile",
        choices=("lognormal", "registry-2024"),
        default="lognormal",
        help="lognormal (median/p99 below; default) or the registry-2024 snapshot's quantiles",
    )
    parser.add_argument("--median-kb", type=float, default=21.0, help="lognormal median schema size (KB)")
    parser.add_argument("--p99-kb", type=float, default=650.0, help="lognormal p99 schema size (KB)")
    parser.add_argument("--max-kb", type=float, default=1200.0, help="largest schema (KB); trims the tail")
    parser.add_argument(
        "--no-noise",
        dest="noise",
        action="store_false",
        help="no ignored components/models or older versions, only what is published",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out_dir", type=Path, help="folder to write (outside the repository)")
    parser.add_argument("--components", type=int, required=True, help="published component pages in total")
    parser.add_argument(
        "--models",
        type=int,
        help="synthetic models (default: keep 615 models per 5,000 "
        "components, minus the real models with --with-real)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--with-real", type=Path, metavar="DIR", help="copy this real registry in as well")
    parser.add_argument("--jobs", type=int, help="worker processes (default: 2)")
    parser.add_argument("--force", action="store_true", help="replace an earlier synth.py output in OUT_DIR")
    parser.add_argument("--json", type=Path, metavar="FILE", help="also write the summary as JSON here")
    add_size_options(parser)
    args = parser.parse_args(argv)
    result = generate(
        args.out_dir.resolve(),
        args.components,
        args.models,
        args.seed,
        sampler_from_args(args),
        args.with_real.resolve() if args.with_real else None,
        args.noise,
        args.jobs,
        args.force,
    )
    print(
        f"wrote {result.out_dir}: {result.components} published components in {result.models} models "
        f"({result.synthetic_components} synthetic in {result.synthetic_models} models, "
        f"{result.real_components} real in {result.real_models}); {result.files} synthetic files, "
        f"{result.bytes / 1e6:.1f} MB, {result.relationships} relationships, {result.seconds:.1f} s"
    )
    print(f"schema strings ({result.profile}): {format_distribution(result.schema_sizes)}")
    if args.json:
        args.json.write_text(json.dumps(asdict(result), indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
