// TM311: an accepted threat whose accept.reason is missing or under four words.
export default function (t) {
  if (t.status !== "accepted") return [];
  const reason = t.accept && typeof t.accept.reason === "string" ? t.accept.reason : "";
  const words = reason.split(/[^\p{L}\p{N}]+/u).filter(Boolean).length;
  return words < 4 ? [{ message: `threat ${t.id} is accepted with a reason of ${words} word(s)` }] : [];
}
