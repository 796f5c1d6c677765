"""The one table of names Meshery used to give models and kinds, and what the registry calls them now.

Designs outlive the names they were written with: Meshery's legacy ``services:`` designs name a kind with
the suffix of its model (``Pod.K8s``, ``VirtualService.Istio``), and models have been renamed or split
(``meshery`` is ``meshery-core`` since the v0.7 registry). A design is read through this table only where
the name it uses is not in the registry and the name the table gives is, so a registry that still has the
old name is always taken at its word. README.md ("Legacy names") lists the same table for contributors.

Annotation models hold drawing components (comments, shapes, pictures, flowchart symbols): they are not
technologies a design deploys. The registry marks them with ``metadata.isAnnotation``; the names below
are known annotation models whose kinds a given registry version may lack (a newer ``Picture``).
"""

from __future__ import annotations

from dataclasses import dataclass

# Legacy kind suffix (lower case) → model: ``Pod.K8s`` is the kind ``Pod`` of ``kubernetes``.
KIND_SUFFIXES: dict[str, str] = {
    "k8s": "kubernetes",
    "core": "meshery-core",
    "meshery": "meshery-core",
    "istio": "istio-base",
    "linkerd": "linkerd",
    "osm": "open service mesh",
    "kuma": "kuma",
    "nginx": "nginx-service-mesh",
    "traefik": "traefik-mesh",
    "cilium": "cilium",
}

# Older model name (lower case) → the registry's name for it now.
MODEL_ALIASES: dict[str, str] = {
    "meshery": "meshery-core",
    "core": "meshery-core",
    "k8s": "kubernetes",
    "istio": "istio-base",
    "osm": "open service mesh",
    "open-service-mesh": "open service mesh",
    "opa": "open policy agent (opa)",
    "shapes": "meshery-shapes",
    "flowchart": "meshery-flowchart",
}

ANNOTATION_MODELS = frozenset({"meshery-core", "meshery-shapes", "meshery-flowchart"})


@dataclass(frozen=True)
class LegacyName:
    """A kind and model as a design wrote them, split into what they mean (``Pod.K8s`` → Pod, kubernetes)."""

    kind: str
    model: str


def split_legacy_kind(kind: str, model: str) -> LegacyName:
    """``Kind.Suffix`` with a known suffix is the kind of the suffix's model (when no model is written)."""
    if "." in kind:
        base, suffix = kind.rsplit(".", 1)
        target = KIND_SUFFIXES.get(suffix.lower())
        if base and target is not None:
            return LegacyName(base, model or target)
    return LegacyName(kind, model)


def model_alias(name: str, known: set[str]) -> str | None:
    """The registry's name for an older model name, if the table has one the registry knows."""
    target = MODEL_ALIASES.get(name.lower())
    return target if target is not None and target.lower() in known else None
