/** Query parameters that carry a secret: node-postgres reads `?password=`, and TLS keys and their passphrase come the same way. */
const SECRET_PARAM = /pass|secret|token|key|cert/i;

/** A connection URL fit to print: the password and any secret query parameter replaced by ***. */
export function redactUrl(value: string): string {
  try {
    const url = new URL(value);
    if (url.password) url.password = '***';
    for (const name of [...url.searchParams.keys()]) {
      if (SECRET_PARAM.test(name)) url.searchParams.set(name, '***');
    }
    return url.toString();
  } catch {
    return '(unparseable URL)';
  }
}
