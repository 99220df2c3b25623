"""JSON-LD checked against schema.org with Google's own schema.org types (``schema-dts``).

``schema-dts`` describes the whole schema.org vocabulary as TypeScript types; the
TypeScript compiler then rejects a property a type does not have (an Organization with a
``startDate``), a value of the wrong kind, or an unknown ``@type``. All documents go into
one file, so one compiler run checks them all. Both come from npm (``tests/clients/web``).

schema.org itself requires no property; what a search engine needs for a rich result
(an Event's ``startDate`` and ``location``) the tests check on top.
"""

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

WEB = Path(__file__).resolve().parent / "web"
MODULES = WEB / "node_modules"
TSC = MODULES / "typescript" / "bin" / "tsc"
SCHEMA_DTS = MODULES / "schema-dts"


def available():
    """Why the check cannot run here ("" when it can)."""
    if not shutil.which("node"):
        return "Node.js is not installed"
    if not (TSC.exists() and SCHEMA_DTS.exists()):
        return f"typescript or schema-dts is missing: run `npm ci` in {WEB}"
    return ""


def versions():
    return {
        name: json.loads((MODULES / name / "package.json").read_text())["version"]
        for name in ("schema-dts", "typescript")
    }


def check(documents):
    """Compiler errors for ``documents`` (``{name: JSON-LD dict}``), as
    ``[(name, message)]``."""
    names = list(documents)
    types = sorted({doc["@type"] for doc in documents.values()})
    lines = [f'import type {{ WithContext, {", ".join(types)} }} from "schema-dts";']
    for index, name in enumerate(names):
        doc = documents[name]
        lines.append(f"export const doc{index}: WithContext<{doc['@type']}> = {json.dumps(doc)};")
    with tempfile.TemporaryDirectory(prefix="schema-org-") as folder:
        folder = Path(folder)
        (folder / "check.ts").write_text("\n".join(lines) + "\n")
        config = {
            "compilerOptions": {
                "strict": True,
                "noEmit": True,
                "types": [],
                "moduleResolution": "node",
                "module": "commonjs",
                "target": "es2020",
                "baseUrl": ".",
                "paths": {"schema-dts": [str(SCHEMA_DTS)]},
            },
            "files": ["check.ts"],
        }
        (folder / "tsconfig.json").write_text(json.dumps(config))
        result = subprocess.run(
            ["node", str(TSC), "-p", str(folder / "tsconfig.json"), "--pretty", "false"],
            capture_output=True,
            text=True,
            cwd=folder,
        )
    errors = []
    for line in result.stdout.splitlines():
        match = re.match(r"check\.ts\((\d+),\d+\): error (.*)", line)
        if match:
            number = int(match.group(1)) - 2  # line 1 is the import
            errors.append((names[number] if 0 <= number < len(names) else "?", match.group(2)))
        elif line.strip() and errors:
            errors[-1] = (errors[-1][0], errors[-1][1] + " " + line.strip())
    if result.returncode and not errors:
        raise RuntimeError(result.stdout + result.stderr)
    return errors
