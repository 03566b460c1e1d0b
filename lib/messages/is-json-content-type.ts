// application/json, text/json, and any type with a +json suffix; parameters ignored.
export function isJsonContentType(contentType: string | null | undefined): boolean {
  if (!contentType) return false;
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  return type === 'application/json' || type === 'text/json' || /^[a-z0-9.+-]+\/[a-z0-9.+-]+\+json$/.test(type);
}
