"""A small registry written to attack the generator: markup, template syntax and path tricks everywhere."""

from __future__ import annotations

import json
from pathlib import Path

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(2)">'
TEMPLATE = "{{ 7 * 191 }}{% if true %}yes{% endif %}"
LINK = "[click](javascript:alert(3))"
EVIL = f"{SCRIPT} {IMG} {TEMPLATE} {LINK} </title></td>&lt;b&gt;"
EVIL_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(4)"><script>alert(5)</script>'
    '<a href="javascript:alert(6)"><rect width="10" height="10"/></a>'
    '<foreignObject><iframe src="http://evil.example/"></iframe></foreignObject>'
    '<image href="http://evil.example/t.png"/><path d="M0 0h10v10z"/></svg>'
)


def write_hostile_registry(root: Path) -> Path:
    """``root/<model>/1.0.0/v1.0.0/{model.json, components/, relationships/}`` full of hostile strings."""
    model = {
        "schemaVersion": "models.meshery.io/v1beta1",
        "version": "v1.0.0",
        "name": f"evil {SCRIPT}",
        "displayName": f"Evil {EVIL}",
        "description": f"Model description {EVIL}\n\n<div onclick='x'>raw html block</div>",
        "status": "enabled",
        "category": {"name": f"Cat {SCRIPT}"},
        "subCategory": f"Sub {IMG}",
        "registrant": {"kind": "github", "name": f"Reg {SCRIPT}"},
        "metadata": {
            "svgColor": EVIL_SVG,
            "primaryColor": "red;background:url(http://evil.example/)",
            "source_uri": f"javascript:alert(7) {SCRIPT}",
        },
        "model": {"version": "1.0.0"},
    }
    schema = {
        "type": "object",
        "properties": {
            "spec": {
                "type": "object",
                "description": EVIL,
                "required": [f"req{SCRIPT}"],
                "properties": {
                    f"req{SCRIPT}": {"type": "string", "description": EVIL},
                    f"prop{IMG}": {
                        "type": f"str{SCRIPT}",
                        "enum": [SCRIPT, TEMPLATE],
                        "default": SCRIPT,
                        "pattern": SCRIPT,
                        "format": IMG,
                    },
                    "../../../etc/passwd": {"type": "string"},
                },
            }
        },
    }
    component = {
        "schemaVersion": "components.meshery.io/v1beta1",
        "version": "v1.0.0",
        "displayName": f"Comp {EVIL}",
        "description": f"Component description {EVIL}",
        "format": "JSON",
        "model": model,
        "styles": {"svgColor": EVIL_SVG, "primaryColor": "#00ff00"},
        "status": "enabled",
        "metadata": {"isNamespaced": True},
        "component": {
            "kind": f"../../Kind{SCRIPT}",
            "version": f"evil.io/v1{IMG}",
            "schema": json.dumps(schema),
        },
    }
    relationship = {
        "schemaVersion": "relationships.meshery.io/v1alpha3",
        "version": "v1.0.0",
        "kind": f"edge{SCRIPT}",
        "type": "non-binding",
        "subType": f"network{IMG}",
        "metadata": {"description": f"Relationship {EVIL}"},
        "model": {"name": model["name"], "model": {"version": "1.0.0"}},
        "status": "enabled",
        "selectors": [
            {
                "allow": {
                    "from": [
                        {
                            "kind": f"../../Kind{SCRIPT}",
                            "model": {"name": model["name"]},
                            "patch": {"patchStrategy": SCRIPT, "mutatorRef": [[IMG, "spec"]]},
                        }
                    ],
                    "to": [
                        {
                            "kind": f"Other{IMG}",
                            "model": {"name": f"nowhere{SCRIPT}"},
                            "match": {"from": [{"kind": SCRIPT, "mutatorRef": [[TEMPLATE]]}]},
                        }
                    ],
                },
                "deny": {"from": [], "to": []},
            }
        ],
    }
    folder = root / "evil-model" / "1.0.0" / "v1.0.0"
    (folder / "components").mkdir(parents=True)
    (folder / "relationships").mkdir()
    (folder / "model.json").write_text(json.dumps(model))
    (folder / "components" / "Evil.json").write_text(json.dumps(component))
    (folder / "relationships" / "evil.json").write_text(json.dumps(relationship))
    return root
