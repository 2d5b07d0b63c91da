"""Every invariant the models put in the database says why it exists, on the line directly above it.

A CHECK or UNIQUE constraint, a unique or partial index and a `unique=True` column are business rules that the
database enforces; a reader (or a reviewer of the migration that would drop one) needs the reason in the domain's
words, not a restatement of the SQL. The test reads portal/models as source, so it needs no app and no database.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

MODELS = Path(__file__).resolve().parent.parent / "portal" / "models"
MIN_WORDS = 3


@dataclass(frozen=True)
class Invariant:
    path: Path
    line: int  # 1-based line the declaration starts on
    what: str

    def __str__(self) -> str:
        return f"{self.path.name}:{self.line}: {self.what}"


def _call_name(node: ast.Call) -> str:
    func = node.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _keyword_true(node: ast.Call, name: str) -> bool:
    return any(k.arg == name and isinstance(k.value, ast.Constant) and k.value.value is True for k in node.keywords)


def _is_partial_or_unique_index(node: ast.Call) -> bool:
    return _keyword_true(node, "unique") or any(k.arg in ("postgresql_where", "sqlite_where") for k in node.keywords)


def _invariants(path: Path) -> list[Invariant]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[Invariant] = []
    for node in ast.walk(tree):
        # A unique column: the comment goes above the whole attribute declaration.
        if isinstance(node, ast.AnnAssign | ast.Assign) and isinstance(node.value, ast.Call):
            call = node.value
            if _call_name(call) == "mapped_column" and _keyword_true(call, "unique"):
                target = node.target if isinstance(node, ast.AnnAssign) else node.targets[0]
                found.append(Invariant(path, node.lineno, f"unique column {ast.unparse(target)}"))
        if not isinstance(node, ast.Call):
            continue
        name = _call_name(node)
        if name in ("CheckConstraint", "UniqueConstraint") or (name == "Index" and _is_partial_or_unique_index(node)):
            found.append(Invariant(path, node.lineno, ast.unparse(node)[:100]))
    return found


def _says_why(line: str) -> bool:
    text = line.strip()
    return text.startswith("#") and len(text[1:].split()) >= MIN_WORDS


def _undocumented(path: Path) -> list[Invariant]:
    lines = path.read_text().splitlines()
    return [inv for inv in _invariants(path) if inv.line < 2 or not _says_why(lines[inv.line - 2])]


def test_the_models_declare_invariants():
    # Guards the guard: if the walk found nothing, the test below would pass vacuously.
    invariants = [inv for path in MODELS.glob("*.py") for inv in _invariants(path)]
    assert len(invariants) > 100
    assert any(inv.what.startswith("unique column") for inv in invariants)


def test_every_invariant_says_why_on_the_line_above():
    undocumented = [str(inv) for path in sorted(MODELS.glob("*.py")) for inv in _undocumented(path)]
    assert not undocumented, "add a one-line '# why' comment directly above:\n" + "\n".join(undocumented)


@pytest.mark.parametrize(
    ("source", "documented"),
    [
        ('x = (\n    # Two bids would let a supplier hedge.\n    UniqueConstraint("a", "b"),\n)\n', True),
        ('x = (\n    UniqueConstraint("a", "b"),\n)\n', False),
        ('x = (\n    # Why.\n    CheckConstraint("a > 0", name="n"),\n)\n', False),
        ('x = (UniqueConstraint("a", "b"),)\n', False),
        ('x = (\n    Index("ix", "a"),\n)\n', True),
        ('x = (\n    Index("ix", "a", unique=True),\n)\n', False),
        ('x = (\n    Index("ix", "a", postgresql_where=text("b")),\n)\n', False),
        ("class C:\n    a: Mapped[str] = mapped_column(String(4), unique=True)\n", False),
        (
            "class C:\n    # Two rows would name one thing twice.\n    a: Mapped[str] = mapped_column(unique=True)\n",
            True,
        ),
    ],
)
def test_the_check_finds_what_it_should(tmp_path, source, documented):
    probe = tmp_path / "probe.py"
    probe.write_text(source)
    assert (_undocumented(probe) == []) is documented
