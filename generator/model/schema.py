"""A component's JSON Schema as the field reference a reader needs: flat rows, bounded in size."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class SchemaField:
    """One row of the field reference: ``spec.template.spec.containers[].image`` and what it accepts."""

    path: str
    depth: int
    type: str
    required: bool = False
    description: str = ""
    enum: tuple[str, ...] = ()
    default: str | None = None
    constraints: tuple[str, ...] = ()


@dataclass(frozen=True)
class ComponentSchema:
    """Everything a component page shows of a schema, already cut to the page's budget.

    ``notes`` say what was cut or could not be followed (recursion, huge enums), so a reader knows the
    table is partial; ``error`` is set when the schema is not usable at all and the page says so.
    """

    fields: tuple[SchemaField, ...] = ()
    example: str = ""
    raw: str = ""
    raw_bytes: int = 0
    notes: tuple[str, ...] = ()
    error: str | None = None
    top_level: tuple[str, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.fields and not self.error
