#!/usr/bin/env bash
# sarif-summary.sh FILE.sarif: a Markdown summary of a tmlint SARIF run
# (findings by level, by rule, and the first 50 with their places), for
# GitHub's job summary. Every string from the file is escaped for Markdown
# and HTML: messages quote a model's own text, and a model is input.
set -euo pipefail
f=${1:?usage: sarif-summary.sh FILE.sarif}
jq -r '
  def md: tostring | gsub("[\r\n\t]+"; " ")
    | gsub("&"; "&amp;") | gsub("<"; "&lt;") | gsub(">"; "&gt;")
    | gsub("(?<c>[\\\\`*_{}\\[\\]()#+!|~.-])"; "\\\(.c)");
  .runs[0] as $run
  | ($run.tool.driver.rules // []) as $rules
  | [ $run.results[]?
      | select((.suppressions // []) | length == 0)
      | select(.baselineState != "absent")
      | . + { level: (.level // "warning") } ] as $res
  | [ "error", "warning", "note" ] as $levels
  | ($res | length) as $n
  | "## tmlint: threat-model findings",
    "",
    ( if $n == 0 then "No findings: every model was read, understood and checked."
      else ([ $levels[] as $l | ([ $res[] | select(.level == $l) ] | length) as $k | "\($k) \($l)\(if $k == 1 then "" else "s" end)" ] | join(", "))
           + ([ $res[] | .locations[0].physicalLocation.artifactLocation.uri ] | unique | length | " in \(.) file\(if . == 1 then "" else "s" end)")
      end ),
    ( if $n == 0 then empty else
      "",
      "| rule | name | level | findings |",
      "| --- | --- | --- | ---: |",
      ( $res | group_by(.ruleId) | map(. as $g | { id: $g[0].ruleId, level: $g[0].level, n: length,
            name: ([ $rules[] | select(.id == $g[0].ruleId) ] | .[0].name // "") })
        | sort_by((if .level == "error" then 0 elif .level == "warning" then 1 else 2 end), -.n, .id)[]
        | "| \(.id | md) | \(.name | md) | \(.level) | \(.n) |" ),
      "",
      "| place | level | rule | message |",
      "| --- | --- | --- | --- |",
      ( $res[:50][]
        | (.locations[0].physicalLocation // {}) as $p
        | "| \(($p.artifactLocation.uri // "?") | md):\($p.region.startLine // 0):\($p.region.startColumn // 0) | \(.level) | \(.ruleId | md) | \(.message.text | md) |" ),
      ( if $n > 50 then "", "\($n - 50) more in the SARIF file and in code scanning." else empty end )
      end )
' "$f"
