import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository's root, found upwards from here, whether this file runs from source or compiled. */
function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'source-performance-management') return dir;
    if (dirname(dir) === dir) throw new Error(`no source-performance-management package.json above ${from}`);
  }
}

export const REPO_ROOT = findRoot(import.meta.dirname);

/** The built connector CLI, exactly as the platform (and the image) runs it. */
export const CONNECTOR_MAIN = join(REPO_ROOT, 'dist/main.js');
