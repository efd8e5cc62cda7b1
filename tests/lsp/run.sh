# tmlint lsp: the protocol method by method and bad input by bad input
# (proto.py), then a real client, Neovim's built-in LSP client run
# headless: it opens a model, gets the diagnostics, hovers, applies the
# quick fix and sees the diagnostic go (nvim.lua; what it saw against
# nvim.expected).
. "$(dirname "$0")/../lib.sh"
if /usr/bin/python3 "$SRC/tests/lsp/proto.py" "$TMLINT" "$WORK" >"$WORK/proto" 2>&1; then pass
else fail "protocol tests"; grep -v '^ok' "$WORK/proto" >&2; fi
grep -c '^ok' "$WORK/proto" | sed 's/^/protocol checks passed: /'
if ! command -v nvim >/dev/null; then
  fail "neovim is not installed (tools/install-deps.sh test installs it)"
else
  mkdir -p "$WORK/nv"
  printf 'model: 1\ntitle: Shop\nowner: team-shop\nthreats:\n  - id: T1\n    title: Card numbers leak\n    status: opne\n' \
    >"$WORK/nv/shop.tm.yaml"
  OUT="$WORK/nv/seen" MODEL="$WORK/nv/shop.tm.yaml" HOME="$WORK/nv" XDG_CONFIG_HOME="$WORK/nv" XDG_DATA_HOME="$WORK/nv" \
    XDG_STATE_HOME="$WORK/nv" timeout 120 nvim --headless -u NONE -i NONE -n -c "luafile $SRC/tests/lsp/nvim.lua" \
    >"$WORK/nv/out" 2>&1
  compare_golden "$WORK/nv/seen" "$SRC/tests/lsp/nvim.expected" "what Neovim saw"
  grep -q '^    status: open$' "$WORK/nv/shop.tm.yaml" && fail "the quick fix saved the file (it edits the buffer)" || pass
fi
finish
