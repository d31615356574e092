"""Writes a C++ header holding docs/openapi.yaml as compact JSON: `openapi_header.py IN OUT`.

Run by the build (server/CMakeLists.txt) whenever the YAML changes; needs python3-yaml. The
header is rewritten only when its text changes, so an unchanged document rebuilds nothing.
"""

import json
import sys
from pathlib import Path

import yaml

source, out = Path(sys.argv[1]), Path(sys.argv[2])
document = json.dumps(yaml.safe_load(source.read_text(encoding="utf-8")), ensure_ascii=False,
                      separators=(",", ":"), sort_keys=False)
delimiter = "openapi"
if f"){delimiter}\"" in document:
    sys.exit(f"{source}: the JSON holds the raw string's end, ){delimiter}\"")
text = ("#pragma once\n"
        "// Written by cmake/openapi_header.py from docs/openapi.yaml at build time.\n"
        "namespace slotlock {\n"
        f"inline constexpr const char openapi_json[] = R\"{delimiter}({document}){delimiter}\";\n"
        "}  // namespace slotlock\n")
if not out.exists() or out.read_text(encoding="utf-8") != text:
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
