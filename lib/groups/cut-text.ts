// Header text is cut to bounded lengths before it is normalised and stored as JSON. A cut
// between the two halves of a surrogate pair (an emoji, say) would leave a lone surrogate,
// which JSON.stringify writes as "\ud83d" and PostgreSQL's jsonb refuses: every cut here
// falls on a character boundary, and text is made well-formed before it is used.

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The text with every lone surrogate replaced by U+FFFD (String.prototype.toWellFormed). */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, '\ufffd');
}

/** At most `max` UTF-16 units of `text`, never ending in the first half of a surrogate pair. */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const last = text.charCodeAt(max - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? max - 1 : max);
}

/** `text` cut to `max` units with an ellipsis as its last character when it was longer. */
export function cutWithEllipsis(text: string, max: number): string {
  return text.length > max ? `${cutText(text, max - 1)}…` : text;
}
