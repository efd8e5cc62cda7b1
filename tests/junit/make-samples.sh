#!/bin/bash
# Regenerates the JUnit samples from real producers. Not run by the suite
# (the samples are checked in); run it by hand after changing a producer:
#   pytest:     Debian python3-pytest
#   ctest:      cmake 3.21 or later (--output-junit)
#   jest-junit: npm install jest jest-junit (in a scratch directory: set JEST_DIR)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
p=$here/producers
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# pytest: run from the producer's root so that classnames spell tests.test_auth
(cd "$p/pytest" && /usr/bin/python3 -m pytest -p no:cacheprovider -q --junitxml="$work/pytest.xml" tests || true)
# ctest: configure, then run with --output-junit (a path relative to the build dir)
cmake -S "$p/ctest" -B "$work/ctest" >/dev/null
(cd "$work/ctest" && ctest --output-junit ctest.xml >/dev/null || true)
cp "$work/ctest/ctest.xml" "$work/ctest.xml"
# jest with jest-junit as a reporter, its file attribute on
jd=${JEST_DIR:?set JEST_DIR to a directory with node_modules/jest and jest-junit}
cp "$p/jest/auth.test.js" "$work/"
printf '{ "testEnvironment": "node", "reporters": ["default", ["%s", { "outputName": "jest.xml", "addFileAttribute": "true" }]] }\n' \
    "$jd/node_modules/jest-junit" > "$work/jest.config.json"
(cd "$work" && "$jd/node_modules/.bin/jest" --rootDir "$work" auth.test.js || true)
for f in pytest ctest jest; do
    # timestamps, host names and timings vary from run to run; the rest is the producer's own
    sed -E -e 's/[[:space:]](timestamp|hostname|time)="[^"]*"//g' -e "s#$p/##g" -e "s#$work/##g" "$work/$f.xml" > "$here/$f.xml"
done
echo "wrote $here/{pytest,ctest,jest}.xml"
