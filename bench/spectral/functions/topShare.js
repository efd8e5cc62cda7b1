// TM302: at least five rated threats, and 60% or more of them in the top two of four levels.
export default function (model) {
  const levels = (model.rating && model.rating.levels) || ["low", "medium", "high", "critical"];
  const top = new Set(levels.slice(levels.length >= 4 ? -2 : -1));
  let rated = 0, high = 0;
  for (const t of model.threats || []) {
    if (levels.includes(t.severity)) { rated++; if (top.has(t.severity)) high++; }
  }
  if (rated >= 5 && high / rated >= 0.6) return [{ message: `${high} of ${rated} rated threats are in the top levels`, path: ["threats"] }];
  return [];
}
