"""The domain core imports neither Flask nor SQLAlchemy."""

import ast
from pathlib import Path

import queue_server.domain as domain


def test_domain_imports_no_framework() -> None:
    for path in Path(domain.__file__).parent.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for name in names:
                assert not name.split(".")[0] in {"flask", "flask_socketio", "sqlalchemy", "socketio"}, (path, name)
