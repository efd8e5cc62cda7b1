#!/usr/bin/python3
"""A monorepo-shaped tree for timing the walk: 400 packages, each with a
package.json, a tsconfig.json, 30 YAML configuration files and 30 sources,
and one threat model at the top (24,801 files, 12,801 of them JSON or
YAML). Usage: gen-monorepo.py DIR MODEL"""
import json, os, shutil, sys

out, model = sys.argv[1], sys.argv[2]
for p in range(400):
    d = os.path.join(out, "packages", f"p{p}")
    os.makedirs(d + "/src", exist_ok=True)
    os.makedirs(d + "/config", exist_ok=True)
    with open(d + "/package.json", "w") as f:
        json.dump({"name": f"p{p}", "version": "1.0.0", "dependencies": {f"dep{i}": "^1.0" for i in range(40)}}, f, indent=2)
    with open(d + "/tsconfig.json", "w") as f:
        json.dump({"compilerOptions": {"strict": True, "target": "es2020"}, "include": ["src"]}, f, indent=2)
    for k in range(30):
        with open(f"{d}/config/c{k}.yaml", "w") as f:
            f.write("".join(f"key{i}: value {i} {'x' * 60}\n" for i in range(100)))
        with open(f"{d}/src/m{k}.ts", "w") as f:
            f.write("export const x = 1;\n" * 50)
shutil.copy(model, os.path.join(out, "threat-model.yaml"))
