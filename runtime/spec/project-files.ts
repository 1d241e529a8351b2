// Lists the files of a project folder: skipped folders left out, symlinks followed only inside the project.
import type { Dirent } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, sep } from 'node:path';

/** Folders never descended into, wherever they appear. */
export const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', '.git', '.weir', 'dist']);

export interface ProjectFiles {
  /** Every file, project-relative with forward slashes, sorted. */
  files: string[];
  /** Every folder reached (project-relative, forward slashes), without the root itself. */
  folders: Set<string>;
  /** Folders that could not be listed. */
  unreadable: { path: string; reason: string }[];
}

const CONCURRENCY = 16;

interface Folder {
  rel: string;
  abs: string;
  real: string;
  parent: Folder | undefined;
}

export async function listProjectFiles(root: string): Promise<ProjectFiles> {
  const realRoot = await realpath(root);
  const out: ProjectFiles = { files: [], folders: new Set(), unreadable: [] };
  const queue: Folder[] = [{ rel: '', abs: root, real: realRoot, parent: undefined }];
  const inside = (real: string) => real === realRoot || real.startsWith(realRoot.endsWith(sep) ? realRoot : realRoot + sep);

  const visit = async (folder: Folder, entry: Dirent): Promise<void> => {
    const rel = folder.rel ? `${folder.rel}/${entry.name}` : entry.name;
    const abs = join(folder.abs, entry.name);
    if (entry.isFile()) {
      out.files.push(rel);
      return;
    }
    let real: string;
    let isDir: boolean;
    if (entry.isDirectory()) {
      real = join(folder.real, entry.name);
      isDir = true;
    } else if (entry.isSymbolicLink()) {
      try {
        real = await realpath(abs);
        if (!inside(real)) return;
        const s = await stat(real);
        if (s.isFile()) {
          out.files.push(rel);
          return;
        }
        isDir = s.isDirectory();
      } catch {
        return; // a dangling link is not a file
      }
    } else {
      return; // sockets, FIFOs and devices are never project files (reading a FIFO would hang)
    }
    if (!isDir || SKIPPED_FOLDERS.has(entry.name) || loops(folder, real)) return;
    out.folders.add(rel);
    queue.push({ rel, abs, real, parent: folder });
  };

  const list = async (folder: Folder): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(folder.abs, { withFileTypes: true });
    } catch (e) {
      out.unreadable.push({ path: folder.rel || '.', reason: describeFsError(e) });
      return;
    }
    for (const entry of entries) await visit(folder, entry);
  };

  let active = 0;
  await new Promise<void>((done, fail) => {
    const pump = (): void => {
      while (active < CONCURRENCY && queue.length > 0) {
        const folder = queue.pop()!;
        active++;
        list(folder).then(() => {
          active--;
          pump();
        }, fail);
      }
      if (active === 0 && queue.length === 0) done();
    };
    pump();
  });
  out.files.sort(compareStrings);
  return out;
}

/** A symlink to a folder we are already inside would list it forever (`find -L` stops there too). */
function loops(folder: Folder, real: string): boolean {
  for (let f: Folder | undefined = folder; f; f = f.parent) if (f.real === real) return true;
  return false;
}

export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An I/O error in words, without the errno noise. */
export function describeFsError(e: unknown): string {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'it does not exist';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a folder';
    case 'ELOOP':
      return 'too many symbolic links';
    default:
      return e instanceof Error ? e.message : String(e);
  }
}
