# Writes a git fast-import stream: N commits from 2020-01-01,
# each an hour after the last, changing one of the component directories named on the command
# line (round robin), the model committed first. Used by the repository
# tests and by bench/run.sh to build long histories in seconds.
#   history.py N MODEL_FILE DIR... | git fast-import --quiet
import sys

n = int(sys.argv[1])
model = open(sys.argv[2], "rb").read()
dirs = sys.argv[3:] or ["src"]
out = sys.stdout.buffer
t0 = 1577880000  # 2020-01-01T12:00:00Z


def commit(i, path, data, parent):
    msg = b"change %d\n" % i
    out.write(b"commit refs/heads/main\n")
    out.write(b"mark :%d\n" % (i + 1))
    out.write(b"committer test <t@example.test> %d +0000\n" % (t0 + i * 3600))
    out.write(b"data %d\n%s" % (len(msg), msg))
    if parent:
        out.write(b"from :%d\n" % parent)
    out.write(b"M 100644 inline %s\ndata %d\n%s\n" % (path, len(data), data))


commit(0, b"threat-model.yaml", model, 0)
for i in range(1, n):
    d = dirs[i % len(dirs)].encode()
    commit(i, d + b"/main.c", b"/* change %d */\n" % i, i)
