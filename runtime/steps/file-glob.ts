// The first file matching a glob, found by walking only below the glob's fixed prefix.
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import picomatch from 'picomatch';

/** Entries looked at before giving up on one poll, so a glob over a huge tree stays a short check. */
export const MAX_ENTRIES = 20_000;

/** An absolute glob; returns the first matching file's path, or undefined. */
export async function findFirstMatch(glob: string): Promise<string | undefined> {
  const scan = picomatch.scan(glob);
  if (!scan.isGlob) return (await stat(glob).then((s) => s.isFile(), () => false)) ? glob : undefined;
  const isMatch = picomatch(glob, { dot: false });
  const queue = [scan.base || '/'];
  let seen = 0;
  for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (++seen > MAX_ENTRIES) return undefined;
      const full = path.join(dir, entry.name);
      if (entry.isFile() && isMatch(full)) return full;
      if (entry.isDirectory()) queue.push(full);
    }
  }
  return undefined;
}
