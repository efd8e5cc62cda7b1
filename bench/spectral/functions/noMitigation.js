// TM310: an open or mitigated threat with no mitigations listed.
export default function (t) {
  if ((t.status === "open" || t.status === "mitigated") && !(Array.isArray(t.mitigations) && t.mitigations.length))
    return [{ message: `threat ${t.id} has no mitigation` }];
  return [];
}
