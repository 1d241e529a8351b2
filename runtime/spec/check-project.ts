// The whole front end in one call: load → validate structure → index → validate semantics → compile.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compile } from './compile.ts';
import { hasErrors, sortDiagnostics, type Diagnostic } from './diagnostics.ts';
import { loadProject, type LoadedProject, type LoadOptions, type SourceDocument } from './load.ts';
import { buildModel, type ProjectModel } from './model.ts';
import type { Plan } from './plan.ts';
import { checkSemantics } from './semantics/check-semantics.ts';
import { stepSites, type CheckContext } from './semantics/context.ts';
import { normalizeProjectPath, referencedFiles } from './semantics/files.ts';
import { validateStructure } from './validate-structure.ts';

export interface CheckedProject {
  loaded: LoadedProject;
  model: ProjectModel;
  /** The semantic context the checks used: asset graph and memoised selections, reused by the compiler. */
  ctx: CheckContext;
  diagnostics: Diagnostic[];
}

// Structural results depend only on a document, so watch mode re-validates just the file that changed.
const structural = new WeakMap<SourceDocument, ReturnType<typeof validateStructure>>();

function structureOf(doc: SourceDocument, which: 'project' | 'spec'): ReturnType<typeof validateStructure> {
  let result = structural.get(doc);
  if (!result) {
    result = validateStructure(doc, which);
    structural.set(doc, result);
  }
  return result;
}

/** Validates a loaded project: every problem, sorted by file and position. */
export function checkLoaded(loaded: LoadedProject): CheckedProject {
  const diagnostics: Diagnostic[] = [...loaded.diagnostics];
  const invalid = new Set<string>();
  const parts: [SourceDocument, 'project' | 'spec'][] = loaded.config ? [[loaded.config, 'project']] : [];
  for (const doc of loaded.specs) parts.push([doc, 'spec']);
  for (const [doc, which] of parts) {
    if (doc.value === undefined) continue;
    const result = structureOf(doc, which);
    diagnostics.push(...result.diagnostics);
    for (const key of result.invalid) invalid.add(key);
  }
  const built = buildModel(loaded.config, loaded.specs, invalid);
  diagnostics.push(...built.diagnostics);
  const semantics = checkSemantics(built.model, new Set(loaded.files));
  diagnostics.push(...semantics.diagnostics);
  return { loaded, model: built.model, ctx: semantics.ctx, diagnostics: sortDiagnostics(diagnostics) };
}

/** Reads the files steps reference (those that exist) so compile() can fingerprint them without I/O. */
export async function readReferencedFiles(checked: CheckedProject): Promise<Map<string, string>> {
  const wanted = new Set<string>();
  for (const site of stepSites(checked.ctx)) {
    for (const ref of referencedFiles(site)) {
      const path = normalizeProjectPath(ref.file);
      if (path !== undefined && checked.ctx.files.has(path)) wanted.add(path);
    }
  }
  const contents = new Map<string, string>();
  await Promise.all([...wanted].map(async (path) => contents.set(path, await readFile(join(checked.loaded.root, path), 'utf8'))));
  return contents;
}

/** Compiles a project that validated without errors. */
export async function compileChecked(checked: CheckedProject, environment: string | undefined): Promise<Plan> {
  const fileContents = await readReferencedFiles(checked);
  return compile({ ctx: checked.ctx, environment, fileContents });
}

/** The text of a project file by its relative path, for diagnostic excerpts. */
export function sourceLookup(loaded: LoadedProject): (file: string) => string | undefined {
  const docs = new Map([loaded.config, ...loaded.specs].filter((d) => d !== undefined).map((d) => [d.file, d.text]));
  return (file) => docs.get(file);
}
