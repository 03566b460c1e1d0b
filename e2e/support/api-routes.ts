import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const API_ROOT = path.join(process.cwd(), 'app/api/v1');
const HTTP_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * Every route of app/api/v1, read from the files: route key ('messages/[id]/replay') → the
 * HTTP methods its route.ts exports (declared, or re-exported with `export { … }`), sorted.
 * Specs that must cover every route derive their list from this, so a new route fails them.
 */
export function discoverApiRoutes(): Map<string, string[]> {
  const routes = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'route.ts') {
        const source = readFileSync(full, 'utf8');
        const methods = new Set<string>();
        for (const m of source.matchAll(/export\s+(?:const|async\s+function|function)\s+([A-Z]+)\b/g)) methods.add(m[1]!);
        for (const m of source.matchAll(/export\s*\{([^}]*)\}/g)) {
          for (const name of m[1]!.split(',')) methods.add(name.trim().split(/\s+as\s+/).pop()!.trim());
        }
        routes.set(path.relative(API_ROOT, dir).split(path.sep).join('/'), [...methods].filter((x) => HTTP_METHODS.includes(x)).sort());
      }
    }
  };
  walk(API_ROOT);
  return routes;
}
