"""partnerpost.lib imports neither Django nor any partnerpost app: only the standard library and itself."""

import ast
from pathlib import Path

import partnerpost.lib

LIB = Path(partnerpost.lib.__file__).parent


def test_lib_imports_no_django_and_no_app():
    for path in LIB.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [] if node.level else [node.module or ""]
            else:
                continue
            for name in names:
                assert not name.startswith("django"), (path.name, name)
                assert not name.startswith("partnerpost") or name.startswith("partnerpost.lib"), (path.name, name)
