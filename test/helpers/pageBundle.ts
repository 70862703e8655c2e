import path from 'node:path';
import { build } from 'esbuild';

/**
 * Renderer modules as a page runs them: `entry` (TypeScript, imports relative to the repository
 * root) bundled from source into one script for `page.addScriptTag`.
 */
export async function pageBundle(entry: string): Promise<string> {
  const out = await build({
    stdin: { contents: entry, resolveDir: path.resolve('.'), loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    target: 'chrome120',
  });
  return out.outputFiles[0]!.text;
}
