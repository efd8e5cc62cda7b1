"""A native model of N open threats without mitigations (big SARIF output)."""
import sys

n = int(sys.argv[1])
out = ["model: 1", "title: Many findings", "owner: x", "threats:"]
for i in range(n):
    out.append(f"  - {{id: T{i}, title: Threat number {i}, severity: low, status: open}}")
sys.stdout.write("\n".join(out) + "\n")
