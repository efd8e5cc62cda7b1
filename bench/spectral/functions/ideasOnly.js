// TM313: an unsettled threat whose mitigations are all ideas (followed by id).
const settled = new Set(["accepted", "transferred", "false-positive"]);
export default function (model) {
  const byId = new Map((model.mitigations || []).map((m) => [m.id, m]));
  const out = [];
  (model.threats || []).forEach((t, i) => {
    if (settled.has(t.status)) return;
    const ms = (t.mitigations || []).map((id) => byId.get(id)).filter(Boolean);
    if (ms.length && ms.every((m) => m.kind === "idea"))
      out.push({ message: `threat ${t.id} has only ideas as mitigations`, path: ["threats", i, "mitigations"] });
  });
  return out;
}
