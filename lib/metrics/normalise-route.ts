// The `route` label of the HTTP latency histogram: the request path with every dynamic
// segment put back as its [param] name, so /api/v1/messages/123 is /api/v1/messages/[id]
// and a queue name in /api/v1/sources/{queue} never becomes a label value. The label's
// values are then bounded by the route files, whatever callers send.

type TParams = Record<string, string | string[] | undefined>;

/** Segments the router matched statically look like this; anything else that is not a param is hidden. */
const STATIC_SEGMENT = /^[a-z][a-z0-9-]{0,63}$/;

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export function normaliseRoute(pathname: string, params: TParams | undefined): string {
  // One entry per dynamic segment, in route order (a catch-all gives one per element).
  const pending = Object.entries(params ?? {}).flatMap(([name, value]) =>
    (Array.isArray(value) ? value : value === undefined ? [] : [value]).map((v) => ({ name, value: v, used: false })));
  const segments = pathname.split('/').filter(Boolean);
  // Dynamic segments follow the static ones they hang from, so match from the end: a queue
  // named "v1" in /api/v1/sources/v1 is the last segment, not the second.
  for (let i = segments.length - 1; i >= 0; i--) {
    const segment = decode(segments[i]!);
    const param = pending.findLast((p) => !p.used && p.value === segment);
    if (param) {
      param.used = true;
      segments[i] = `[${param.name}]`;
    } else if (!STATIC_SEGMENT.test(segment)) {
      // A segment the params do not explain (decoded differently by the router): hidden.
      segments[i] = '[param]';
    }
  }
  return `/${segments.join('/')}`;
}
