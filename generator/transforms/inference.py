"""Relationships between Kubernetes objects, inferred the way Kubernetes itself resolves them.

A manifest says how its objects relate: a Service's selector picks the Pods of a workload, a
NetworkPolicy's podSelector likewise; a Pod template names its ServiceAccount, ConfigMaps, Secrets and
claims; an Ingress names its backend Services; a RoleBinding its Role and subjects; an HPA its target;
and an object in a namespace belongs to that Namespace. Each inferred pair takes its kind/type/sub-type
from the registry's relationship definition that allows that pair of kinds (evaluating its ``match``
references when it has them), else from :data:`DEFAULTS`, the documented fallback. Definitions whose
``match`` names an object in between (a ClusterRole reaches a ServiceAccount through a
ClusterRoleBinding) are evaluated over the whole manifest.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from meshdocs.loaders.values import items, mapping
from meshdocs.model.registry import Relationship, SelectorEntry

WORKLOADS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "ReplicationController")
ANY = ("", "*")
# What a rule infers when no registry definition allows the pair: (kind, type, sub-type).
DEFAULTS = {
    "namespace": ("hierarchical", "parent", "inventory"),
    "selector": ("edge", "non-binding", "network"),
    "network-policy": ("edge", "binding", "firewall"),
    "service-account": ("edge", "non-binding", "reference"),
    "config": ("edge", "binding", "mount"),
    "claim": ("edge", "binding", "mount"),
    "ingress": ("edge", "non-binding", "network"),
    "role": ("edge", "binding", "permission"),
    "scale-target": ("hierarchical", "parent", "inventory"),
}


@dataclass(frozen=True)
class K8sObject:
    """One object of a manifest, with the id its design component gets."""

    id: str
    kind: str
    api_version: str
    name: str
    namespace: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Inferred:
    """A relationship between two objects (``source`` → ``target`` as the design writes it), and why."""

    kind: str
    type: str
    sub_type: str
    source: str
    target: str
    rule: str  # which rule found it ("selector", "role", ... or "definition")
    definition: str = ""  # the registry definition that named it, if one did


def infer(objects: Sequence[K8sObject], definitions: Sequence[Relationship]) -> list[Inferred]:
    """Every relationship the objects state, once per (kind, type, sub-type, source, target)."""
    by_name: dict[tuple[str, str, str], K8sObject] = {}
    for obj in objects:
        by_name.setdefault((obj.kind, obj.namespace, obj.name), obj)
        by_name.setdefault((obj.kind, "", obj.name), obj)
    found: dict[tuple[str, str, str, str, str], Inferred] = {}
    for rule, source, target in _candidates(objects, by_name):
        result = _classify(rule, source, target, definitions, objects)
        key = (result.kind, result.type, result.sub_type, result.source, result.target)
        found.setdefault(key, result)
    for result in _definition_matches(objects, definitions):
        key = (result.kind, result.type, result.sub_type, result.source, result.target)
        found.setdefault(key, result)
    return sorted(found.values(), key=lambda r: (r.source, r.target, r.kind, r.type, r.sub_type))


# -- what the objects say ---------------------------------------------------------------------------


def _candidates(
    objects: Sequence[K8sObject], by_name: dict[tuple[str, str, str], K8sObject]
) -> Iterator[tuple[str, K8sObject, K8sObject]]:
    def named(kind: str, namespace: str, name: Any) -> K8sObject | None:
        return by_name.get((kind, namespace, name)) if isinstance(name, str) and name else None

    for obj in objects:
        if obj.namespace and obj.kind != "Namespace":
            holder = named("Namespace", "", obj.namespace)
            if holder is not None:
                yield "namespace", obj, holder
        spec = mapping(obj.data.get("spec"))
        if obj.kind == "Service":
            selector = mapping(spec.get("selector"))
            for other in objects:
                if selector and other.namespace == obj.namespace and _selects(selector, _pod_labels(other)):
                    yield "selector", obj, other
        if obj.kind == "NetworkPolicy":
            selector = mapping(mapping(spec.get("podSelector")).get("matchLabels"))
            for other in objects:
                if selector and other.namespace == obj.namespace and _selects(selector, _pod_labels(other)):
                    yield "network-policy", obj, other
        pod = _pod_spec(obj)
        if pod is not None:
            yield from _pod_references(obj, pod, named)
        if obj.kind == "Ingress":
            for service in _ingress_services(spec):
                target = named("Service", obj.namespace, service)
                if target is not None:
                    yield "ingress", obj, target
        if obj.kind in ("RoleBinding", "ClusterRoleBinding"):
            role = mapping(obj.data.get("roleRef"))
            kind = role.get("kind")
            if kind in ("Role", "ClusterRole"):
                target = named(str(kind), obj.namespace if kind == "Role" else "", role.get("name"))
                if target is not None:
                    yield "role", obj, target
            for subject in items(obj.data.get("subjects")):
                subject = mapping(subject)
                if subject.get("kind") == "ServiceAccount":
                    namespace = str(subject.get("namespace") or obj.namespace)
                    target = named("ServiceAccount", namespace, subject.get("name"))
                    if target is not None:
                        yield "role", obj, target
        if obj.kind == "HorizontalPodAutoscaler":
            ref = mapping(spec.get("scaleTargetRef"))
            target = named(str(ref.get("kind") or ""), obj.namespace, ref.get("name"))
            if target is not None:
                yield "scale-target", obj, target


def _pod_references(
    obj: K8sObject, pod: dict[str, Any], named: Any
) -> Iterator[tuple[str, K8sObject, K8sObject]]:
    ns = obj.namespace
    account = named("ServiceAccount", ns, pod.get("serviceAccountName") or pod.get("serviceAccount"))
    if account is not None:
        yield "service-account", obj, account
    for volume in items(pod.get("volumes")):
        volume = mapping(volume)
        for key, kind, field in (
            ("configMap", "ConfigMap", "name"),
            ("secret", "Secret", "secretName"),
            ("persistentVolumeClaim", "PersistentVolumeClaim", "claimName"),
        ):
            target = named(kind, ns, mapping(volume.get(key)).get(field))
            if target is not None:
                yield ("claim" if kind == "PersistentVolumeClaim" else "config"), obj, target
    for secret in items(pod.get("imagePullSecrets")):
        target = named("Secret", ns, mapping(secret).get("name"))
        if target is not None:
            yield "config", obj, target
    for container in [*items(pod.get("containers")), *items(pod.get("initContainers"))]:
        container = mapping(container)
        for source in items(container.get("envFrom")):
            source = mapping(source)
            for key, kind in (("configMapRef", "ConfigMap"), ("secretRef", "Secret")):
                target = named(kind, ns, mapping(source.get(key)).get("name"))
                if target is not None:
                    yield "config", obj, target
        for env in items(container.get("env")):
            ref = mapping(mapping(env).get("valueFrom"))
            for key, kind in (("configMapKeyRef", "ConfigMap"), ("secretKeyRef", "Secret")):
                target = named(kind, ns, mapping(ref.get(key)).get("name"))
                if target is not None:
                    yield "config", obj, target


def _at(data: Any, *keys: str) -> dict[str, Any]:
    """The mapping at ``keys`` below ``data``; empty where any step is missing or not a mapping."""
    for key in keys:
        data = mapping(data).get(key)
    return mapping(data)


def _pod_template(obj: K8sObject) -> dict[str, Any] | None:
    """What a workload runs as its Pods (its Pod template; a Pod is its own), or ``None``."""
    if obj.kind == "Pod":
        return obj.data
    if obj.kind in WORKLOADS:
        return _at(obj.data, "spec", "template")
    if obj.kind == "CronJob":
        return _at(obj.data, "spec", "jobTemplate", "spec", "template")
    return None


def _pod_spec(obj: K8sObject) -> dict[str, Any] | None:
    template = _pod_template(obj)
    return None if template is None else _at(template, "spec")


def _pod_labels(obj: K8sObject) -> dict[str, Any]:
    template = _pod_template(obj)
    return {} if template is None else _at(template, "metadata", "labels")


def _selects(selector: dict[str, Any], labels: dict[str, Any]) -> bool:
    return bool(labels) and all(labels.get(k) == v for k, v in selector.items())


def _ingress_services(spec: dict[str, Any]) -> Iterator[Any]:
    backends = [mapping(spec.get("defaultBackend")), mapping(spec.get("backend"))]
    for rule in items(spec.get("rules")):
        for path in items(mapping(mapping(rule).get("http")).get("paths")):
            backends.append(mapping(mapping(path).get("backend")))
    for backend in backends:
        yield mapping(backend.get("service")).get("name") or backend.get("serviceName")


# -- what the registry calls it ---------------------------------------------------------------------


def _allows(entries: Sequence[SelectorEntry], kind: str) -> list[SelectorEntry]:
    return [e for e in entries if e.model.lower() in ("kubernetes", *ANY) and e.kind in (kind, *ANY)]


def _classify(
    rule: str,
    source: K8sObject,
    target: K8sObject,
    definitions: Sequence[Relationship],
    objects: Sequence[K8sObject],
) -> Inferred:
    """The registry definition allowing (source → target), or target → source, else the default."""
    kind, type_, sub_type = DEFAULTS[rule]
    for definition in definitions:
        if (definition.kind, definition.type) != (kind, type_):
            continue
        for selector in definition.selectors:
            for a, b in ((source, target), (target, source)):
                froms, tos = _allows(selector.allow_from, a.kind), _allows(selector.allow_to, b.kind)
                explicit = any(e.kind == a.kind for e in froms) and any(e.kind == b.kind for e in tos)
                pairs = [(e, a, b) for e in froms] + [(e, b, a) for e in tos]
                if explicit and _matches(pairs, objects) is not False:
                    return Inferred(
                        definition.kind,
                        definition.type,
                        definition.sub_type or sub_type,
                        a.id,
                        b.id,
                        rule,
                        definition.source.name,
                    )
    return Inferred(kind, type_, sub_type, source.id, target.id, rule)


def _definition_matches(
    objects: Sequence[K8sObject], definitions: Sequence[Relationship]
) -> Iterator[Inferred]:
    """Definitions whose ``match`` refs connect two objects, through a third when the refs say so."""
    for definition in definitions:
        for selector in definition.selectors:
            for entry_from in selector.allow_from:
                if not entry_from.refs or entry_from.kind in ANY:
                    continue
                for entry_to in selector.allow_to:
                    if not entry_to.refs or entry_to.kind in ANY:
                        continue
                    sources = [o for o in objects if o.kind == entry_from.kind]
                    targets = [o for o in objects if o.kind == entry_to.kind]
                    for a in sources:
                        for b in targets:
                            pairs = [(entry_from, a, b), (entry_to, b, a)]
                            if a.id != b.id and _matches(pairs, objects) is True:
                                yield Inferred(
                                    definition.kind,
                                    definition.type,
                                    definition.sub_type,
                                    a.id,
                                    b.id,
                                    "definition",
                                    definition.source.name,
                                )


def _matches(
    pairs: Sequence[tuple[SelectorEntry, K8sObject, K8sObject]], objects: Sequence[K8sObject]
) -> bool | None:
    """``None`` when no entry has match refs; else whether every entry's refs hold.

    Each pair is (entry, the object it stands for, the object on the other side). An entry's refs compare
    its own object (``self``) with an object of the kind the match names: the other side's when that is
    its kind, else some object of the manifest between them (a binding between a role and an account).
    """
    checked = False
    for entry, own, other in pairs:
        if not entry.refs:
            continue
        checked = True
        if not _ref_pairs_hold(entry.refs, own, other, objects):
            return False
    return True if checked else None


def _ref_pairs_hold(
    refs: tuple[tuple[str, str, tuple[tuple[str, ...], ...]], ...],
    own: K8sObject,
    other: K8sObject,
    objects: Sequence[K8sObject],
) -> bool:
    """``refs`` is ((side, kind, paths), ...): the ``self`` side's paths equal the other kind's paths."""
    mine = [paths for _side, kind, paths in refs if kind == "self"]
    theirs = [(kind, paths) for _side, kind, paths in refs if kind != "self"]
    if not mine or not theirs:
        return True
    for kind, paths in theirs:
        candidates = [other] if other.kind == kind else [o for o in objects if o.kind == kind]
        if not any(_equal(mine[0], own, paths, candidate) for candidate in candidates):
            return False
    return True


def _equal(
    left: tuple[tuple[str, ...], ...], a: K8sObject, right: tuple[tuple[str, ...], ...], b: K8sObject
) -> bool:
    if len(left) != len(right):
        return False
    for path_a, path_b in zip(left, right, strict=True):
        values_a, values_b = _values(a, path_a), _values(b, path_b)
        if not values_a or not values_a & values_b:
            return False
    return True


def _values(obj: K8sObject, path: tuple[str, ...]) -> set[str]:
    """The value(s) at a Meshery ref path: ``displayName``, ``component.kind``, ``configuration.…``, ``_``."""
    if path == ("displayName",):
        return {obj.name}
    if path == ("component", "kind"):
        return {obj.kind}
    if path == ("component", "version"):
        return {obj.api_version}
    if not path or path[0] != "configuration":
        return set()
    current: list[Any] = [obj.data]
    for step in path[1:]:
        following: list[Any] = []
        for value in current:
            if step == "_" and isinstance(value, list):
                following.extend(value)
            elif isinstance(value, dict) and step in value:
                following.append(value[step])
        current = following
    return {v if isinstance(v, str) else repr(v) for v in current if isinstance(v, (str, int, float, bool))}
