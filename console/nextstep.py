"""What comes next after an action on a draft, in the words both faces say: the CLI
prints it, the web console shows it after a decision."""

from typing import Any

from console.i18n import _, gate_label, role_label


def next_gate_text(gate: dict[str, Any] | None) -> str | None:
    """Where a draft waits (its view's ``gate``, with ``deciders``) and who may decide
    it; a warning when nobody may yet. None for a draft at no gate."""
    if not gate:
        return None
    names = _("、").join(gate.get("deciders") or [])
    where = _("gate {index}/6, {gate}", index=gate["index"], gate=gate_label(gate["key"]))
    check = gate.get("check")
    if check and names:
        return _(
            "Waiting for {check}, decided by {names} ({role}); then {where}.",
            check=gate_label(check["key"]),
            role=role_label(check["role"]),
            names=names,
            where=where,
        )
    if check:
        return _(
            "Warning: waiting for {check}, but nobody may decide it yet: "
            "an admin gives someone the {role} role (`matrixpub user roles NAME --role "
            "{key}`); until then the draft stays before {where}.",
            check=gate_label(check["key"]),
            role=role_label(check["role"]),
            key=check["role"],
            where=where,
        )
    if names:
        return _(
            "Next: {where}, decided by {names} ({role}).",
            where=where,
            role=role_label(gate["role"]),
            names=names,
        )
    return _(
        "Next: {where}; nobody may decide it yet: an admin gives someone the {role} role.",
        where=where,
        role=role_label(gate["role"]),
    )
