"""Designs from plain Kubernetes manifests: objects resolved against the registry, relationships inferred
the way Kubernetes resolves them, written as an entry `validate` passes; and snapshot pictures."""

from __future__ import annotations

import http.server
import threading
from pathlib import Path

import pytest
import yaml

from meshdocs.design_import import build, design_document
from meshdocs.diagnostics import Report
from meshdocs.loaders.crds import scan
from meshdocs.loaders.registry import LoadOptions, load_registry
from meshdocs.model.registry import Registry

from .conftest import EMBEDDED_REGISTRY, SHARED, run_cli

SHOP = """\
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      serviceAccountName: web
      imagePullSecrets: [{name: registry-login}]
      volumes:
      - {name: conf, configMap: {name: web-config}}
      - {name: data, persistentVolumeClaim: {claimName: web-data}}
      containers:
      - name: web
        image: nginx
        envFrom: [{secretRef: {name: web-secrets}}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec: {selector: {app: web}, ports: [{port: 80}]}
---
apiVersion: v1
kind: Service
metadata: {name: nobody, namespace: shop}
spec: {selector: {app: api}, ports: [{port: 80}]}
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: web, namespace: shop}
spec:
  rules:
  - http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: web-only, namespace: shop}
spec: {podSelector: {matchLabels: {tier: front}}, policyTypes: [Ingress]}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: web, namespace: shop}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: shop}
rules: [{apiGroups: [""], resources: [configmaps], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: web-reads, namespace: shop}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
subjects: [{kind: ServiceAccount, name: web, namespace: shop}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: web-config, namespace: shop}
data: {a: b}
---
apiVersion: v1
kind: Secret
metadata: {name: web-secrets, namespace: shop}
---
apiVersion: v1
kind: Secret
metadata: {name: registry-login, namespace: shop}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: web-data, namespace: shop}
spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: web, namespace: shop}
spec: {scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}, minReplicas: 1, maxReplicas: 3}
"""


@pytest.fixture(scope="module")
def embedded() -> Registry:
    return load_registry([EMBEDDED_REGISTRY], Report(), LoadOptions())


def imported_from(
    text: str, tmp_path: Path, registry: Registry
) -> tuple[dict[tuple[str, str], set[str]], object]:
    path = tmp_path / "shop.yaml"
    path.write_text(text)
    result = build(scan(path, Report()).resources, registry, Report())
    names = {o.id: f"{o.kind}/{o.name}" for o in result.objects}
    pairs: dict[tuple[str, str], set[str]] = {}
    for rel in result.relationships:
        pairs.setdefault((names[rel.source], names[rel.target]), set()).add(
            f"{rel.kind}/{rel.type}/{rel.sub_type}"
        )
    return pairs, result


def test_each_kind_of_reference_is_inferred(tmp_path: Path, embedded: Registry) -> None:
    pairs, _ = imported_from(SHOP, tmp_path, embedded)
    edges = set(pairs)
    # label selectors
    assert ("Service/web", "Deployment/web") in edges
    assert ("NetworkPolicy/web-only", "Deployment/web") in edges
    # references by name from the Pod template (in the direction the registry's definition writes them)
    unordered = {frozenset(p) for p in edges}
    for target in (
        "ServiceAccount/web",
        "ConfigMap/web-config",
        "Secret/web-secrets",
        "Secret/registry-login",
        "PersistentVolumeClaim/web-data",
    ):
        assert frozenset(("Deployment/web", target)) in unordered, target
    # an Ingress's backend, a binding's role and subject, an HPA's target
    assert ("Ingress/web", "Service/web") in edges
    assert ("RoleBinding/web-reads", "Role/reader") in edges
    assert ("RoleBinding/web-reads", "ServiceAccount/web") in edges
    assert any(set(p) == {"HorizontalPodAutoscaler/web", "Deployment/web"} for p in edges)
    # namespace membership
    assert ("Deployment/web", "Namespace/shop") in edges and pairs[("Deployment/web", "Namespace/shop")] == {
        "hierarchical/parent/inventory"
    }
    assert pairs[("Service/web", "Deployment/web")] == {"edge/non-binding/network"}


def test_the_registry_definition_names_the_relationship_when_one_allows_the_pair(
    tmp_path: Path, embedded: Registry
) -> None:
    """The embedded registry's edge-permission definition connects Role → ServiceAccount through the
    binding its match refs name: found by evaluating them over the manifest."""
    pairs, result = imported_from(SHOP, tmp_path, embedded)
    assert pairs.get(("Role/reader", "ServiceAccount/web")) == {"edge/binding/permission"}
    rules = {r.rule for r in result.relationships}  # type: ignore[attr-defined]
    assert "definition" in rules


def test_labels_that_do_not_match_infer_nothing(tmp_path: Path, embedded: Registry) -> None:
    pairs, _ = imported_from(SHOP, tmp_path, embedded)
    assert not [p for p in pairs if p[0] == "Service/nobody" and p[1] != "Namespace/shop"]
    mismatched = SHOP.replace("selector: {app: web}", "selector: {app: web, tier: back}")
    mismatched = mismatched.replace("matchLabels: {tier: front}", "matchLabels: {tier: other}")
    pairs, _ = imported_from(mismatched, tmp_path, embedded)
    assert ("Service/web", "Deployment/web") not in pairs
    assert ("NetworkPolicy/web-only", "Deployment/web") not in pairs
    other_namespace = SHOP.replace(
        "metadata: {name: web, namespace: shop}\nspec: {selector",
        "metadata: {name: web, namespace: else}\nspec: {selector",
    )
    pairs, _ = imported_from(other_namespace, tmp_path, embedded)
    assert ("Service/web", "Deployment/web") not in pairs  # a selector only reaches its own namespace


def test_the_design_is_deterministic_and_resolved_against_the_registry(
    tmp_path: Path, embedded: Registry
) -> None:
    _, first = imported_from(SHOP, tmp_path, embedded)
    _, second = imported_from(SHOP, tmp_path, embedded)
    a, b = design_document(first), design_document(second)  # type: ignore[arg-type]
    assert a == b and a["schemaVersion"] == "designs.meshery.io/v1beta1"
    deployment = next(c for c in a["components"] if c["component"]["kind"] == "Deployment")
    assert deployment["model"]["name"] == "kubernetes" and deployment["model"]["model"]["version"]
    assert deployment["component"]["version"] == "apps/v1"
    assert deployment["configuration"]["spec"]["template"]["spec"]["serviceAccountName"] == "web"
    assert "apiVersion" not in deployment["configuration"] and "kind" not in deployment["configuration"]


def test_import_writes_an_entry_that_validate_explains_and_passes(tmp_path: Path) -> None:
    (tmp_path / "shop.yaml").write_text(SHOP)
    proc = run_cli("design", "import", "shop.yaml", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    entry = tmp_path / "catalog" / "designs" / "shop"
    assert (entry / "design.yml").is_file() and (entry / "catalog.yml").is_file()
    checked = run_cli("validate", entry, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "maintainers[0].email" in checked.stdout  # the skeleton's TODO, explained
    strict = run_cli("validate", "--strict", entry, cwd=tmp_path)
    assert strict.returncode == 1
    again = run_cli("design", "import", "shop.yaml", cwd=tmp_path)
    assert again.returncode == 1 and "already exists" in again.stderr


def test_standard_input_and_urls_are_sources_and_charts_are_refused(tmp_path: Path) -> None:
    import subprocess
    import sys

    env_cmd = [sys.executable, "-m", "meshdocs", "design", "import", "-", "--out", str(tmp_path / "stdin")]
    proc = subprocess.run(env_cmd, input=SHOP, capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert yaml.safe_load((tmp_path / "stdin" / "design.yml").read_text())["name"] == "shop"
    with _served(tmp_path) as base:
        (tmp_path / "served.yaml").write_text(SHOP)
        proc = run_cli("design", "import", f"{base}/served.yaml", "--out", tmp_path / "url", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
    chart = SHARED / "crds" / "charts-tgz" / "s3-chart-1.10.0.tgz"
    proc = run_cli("design", "import", chart, "--out", tmp_path / "chart", cwd=tmp_path)
    assert proc.returncode == 1 and "helm template" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "chart").exists()


@pytest.mark.parametrize(
    "source",
    [
        "crds/argo-rollouts/manifests/install.yaml",
        "crds/argo-rollouts/manifests/namespace-install.yaml",
        "crds/cert-manager/deploy/crds",
        "crds/argo-workflows/manifests",
        "crds/gcp-k8s-config-connector/operator/channels",
    ],
)
def test_real_manifests_and_crd_bundles_import_into_designs_validate_passes(
    source: str, tmp_path: Path
) -> None:
    out = tmp_path / "entry"
    proc = run_cli("design", "import", SHARED / source, "--out", out, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    checked = run_cli("validate", out, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert " 0 error(s)" in " " + checked.stderr.strip().splitlines()[-1]


def test_snapshot_draws_a_design_or_manifests_alike_with_icons_embedded(tmp_path: Path) -> None:
    (tmp_path / "shop.yaml").write_text(SHOP)
    assert run_cli("design", "import", "shop.yaml", "--out", "entry", cwd=tmp_path).returncode == 0
    a = run_cli("design", "snapshot", "shop.yaml", "--out", "a.svg", cwd=tmp_path)
    b = run_cli("design", "snapshot", "entry/design.yml", "--out", "b.svg", cwd=tmp_path)
    assert a.returncode == 0 and b.returncode == 0, a.stderr + b.stderr
    svg = (tmp_path / "a.svg").read_text()
    assert svg == (tmp_path / "b.svg").read_text()
    assert 'href="data:image/svg+xml;base64,' in svg  # stands alone: no file beside it needed
    assert "Deployment" in svg and "shop" in svg and "mdx-topo-group" in svg  # the namespace frame


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args: object) -> None:
        pass


class _served:
    """A local HTTP server over ``root`` on 127.0.0.1 (no network beyond loopback in tests)."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def __enter__(self) -> str:
        handler = lambda *a, **k: _Quiet(*a, directory=str(self.root), **k)  # noqa: E731
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
