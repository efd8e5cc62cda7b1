#!/usr/bin/python3
"""run-action.py ACTION_DIR WORKSPACE RESULT.json [input=value]...

Runs a composite action's steps the way a GitHub runner does, on this
machine: the step's `if` (the subset action.yml uses: inputs.X and
steps.ID.outputs.Y compared with == / != to quoted strings, joined by &&),
its env with ${{ inputs.* }} and ${{ steps.*.outputs.* }} filled in, each
run: under `bash --noprofile --norc -eo pipefail`, a fresh GITHUB_OUTPUT per
step, and `uses:` steps recorded (not run: they need GitHub). The first
failing step ends the job, as on GitHub. Writes what happened to RESULT."""
import json, os, re, subprocess, sys, tempfile
import yaml

action_dir, workspace, result_path = sys.argv[1:4]
with open(os.path.join(action_dir, "action.yml")) as f:
    action = yaml.safe_load(f)
inputs = {k: str(v.get("default", "")) for k, v in action.get("inputs", {}).items()}
for a in sys.argv[4:]:
    k, _, v = a.partition("=")
    if k not in inputs:
        sys.exit(f"run-action.py: action.yml has no input {k!r}")
    inputs[k] = v.replace("\\n", "\n")
steps_out = {}
# RUN_ACTION_TEMP: one RUNNER_TEMP for several runs, so the build step of
# the second run finds the first one's build tree (a test saves minutes)
temp = os.environ.get("RUN_ACTION_TEMP") or tempfile.mkdtemp(prefix="runner-temp.")
os.makedirs(temp, exist_ok=True)
summary = os.path.join(temp, "step_summary.md")
path_file = os.path.join(temp, "path")
open(summary, "w").close()
open(path_file, "w").close()

EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")

def value(ref):
    ref = ref.strip()
    m = re.fullmatch(r"'([^']*)'", ref)
    if m:
        return m.group(1)
    m = re.fullmatch(r"inputs\.([\w-]+)", ref)
    if m:
        return inputs[m.group(1)]
    m = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", ref)
    if m:
        return steps_out.get(m.group(1), {}).get(m.group(2), "")
    # github.action_ref and github.action_repository: from the caller's
    # GITHUB_ACTION_REF / GITHUB_ACTION_REPOSITORY (empty, as for a local action)
    m = re.fullmatch(r"github\.(action_ref|action_repository)", ref)
    if m:
        return os.environ.get("GITHUB_" + m.group(1).upper(), "")
    raise SystemExit(f"run-action.py: expression {ref!r} is outside the subset this runner knows")

def fill(text):
    return EXPR.sub(lambda m: value(m.group(1)), str(text))

def condition(expr):
    expr = EXPR.sub(lambda m: m.group(1), expr)
    ok = True
    for part in expr.split("&&"):
        m = re.fullmatch(r"\s*(.+?)\s*(==|!=)\s*(.+?)\s*", part)
        if not m:
            raise SystemExit(f"run-action.py: condition {part!r} is outside the subset this runner knows")
        a, op, b = value(m.group(1)), m.group(2), value(m.group(3))
        ok = ok and ((a == b) if op == "==" else (a != b))
    return ok

log = []
status = "success"
for i, step in enumerate(action["runs"]["steps"]):
    name = step.get("name", f"step {i}")
    if "if" in step and not condition(step["if"]):
        log.append({"name": name, "outcome": "skipped"})
        continue
    if "uses" in step:
        log.append({"name": name, "outcome": "recorded", "uses": step["uses"],
                    "with": {k: fill(v) for k, v in step.get("with", {}).items()}})
        continue
    out_file = os.path.join(temp, f"output.{i}")
    open(out_file, "w").close()
    env = dict(os.environ)
    # a runner's home of its own: the steps may write git's global
    # configuration (safe.directory), which must not reach this machine's
    home = os.path.join(temp, "home")
    os.makedirs(home, exist_ok=True)
    env["HOME"] = home
    env.update({"GITHUB_ACTION_PATH": action_dir, "GITHUB_WORKSPACE": workspace, "RUNNER_TEMP": temp,
                "GITHUB_OUTPUT": out_file, "GITHUB_STEP_SUMMARY": summary, "GITHUB_PATH": path_file,
                "GITHUB_ACTIONS": "true", "CI": "true"})
    env.update({k: fill(v) for k, v in step.get("env", {}).items()})
    assert step.get("shell") == "bash", f"{name}: composite run steps must say shell: bash"
    p = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]],
                       cwd=workspace, env=env, capture_output=True, text=True)
    outs = {}
    with open(out_file) as f:
        for line in f:
            k, _, v = line.rstrip("\n").partition("=")
            outs[k] = v
    if "id" in step:
        steps_out[step["id"]] = outs
    log.append({"name": name, "outcome": "success" if p.returncode == 0 else "failure", "rc": p.returncode,
                "stdout": p.stdout, "stderr": p.stderr[-4000:], "outputs": outs})
    if p.returncode != 0:
        status = "failure"
        break
with open(summary) as f:
    summary_text = f.read()
with open(path_file) as f:
    added_path = f.read()
json.dump({"status": status, "steps": log, "summary": summary_text, "path": added_path,
           "outputs": {k: fill(v["value"]) for k, v in action.get("outputs", {}).items()}, "temp": temp},
          open(result_path, "w"), indent=1)
