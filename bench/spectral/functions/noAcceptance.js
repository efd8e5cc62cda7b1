// TM315: an essential mitigation, not dropped, with no acceptance criteria.
export default function (m) {
  if (m.kind === "essential" && m.status !== "dropped" && !(Array.isArray(m.acceptance) && m.acceptance.length))
    return [{ message: `mitigation ${m.id} has no acceptance criteria` }];
  return [];
}
