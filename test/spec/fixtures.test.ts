// Turns fixture folders into tests: valid/<case>/ must validate clean; invalid/<case>/ must produce exactly
// the diagnostics in expected.json and the human rendering in expected.txt. A regression is a new folder.
// UPDATE_FIXTURES=1 rewrites the expectations (review the diff before committing).
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkLoaded, sourceLookup } from '../../runtime/spec/check-project.ts';
import { loadProject } from '../../runtime/spec/load.ts';
import { renderDiagnostics } from '../../runtime/spec/render.ts';

const fixtures = new URL('../fixtures/spec/', import.meta.url).pathname;
const cases = (kind: 'valid' | 'invalid') => readdirSync(join(fixtures, kind)).sort();
const update = process.env.UPDATE_FIXTURES === '1';

async function check(dir: string) {
  const checked = checkLoaded(await loadProject(dir));
  const human = renderDiagnostics('human', checked.diagnostics, sourceLookup(checked.loaded));
  const json = checked.diagnostics.map(({ code, severity, file, line, column, path, message }) => ({ code, severity, file, line, column, path, message }));
  return { human, json };
}

describe('valid projects', () => {
  it.each(cases('valid'))('%s validates without diagnostics', async (name) => {
    const { human, json } = await check(join(fixtures, 'valid', name));
    expect(json, human).toEqual([]);
  });
});

describe('invalid projects', () => {
  it.each(cases('invalid'))('%s reports the expected diagnostics', async (name) => {
    const dir = join(fixtures, 'invalid', name);
    const { human, json } = await check(dir);
    const jsonFile = join(dir, 'expected.json');
    const textFile = join(dir, 'expected.txt');
    if (update) {
      writeFileSync(jsonFile, JSON.stringify(json, null, 2) + '\n');
      writeFileSync(textFile, human);
    }
    expect(existsSync(jsonFile), `${name}: no expected.json; run with UPDATE_FIXTURES=1 and review it`).toBe(true);
    expect(json.length).toBeGreaterThan(0);
    expect(json).toEqual(JSON.parse(readFileSync(jsonFile, 'utf8')));
    expect(human).toBe(readFileSync(textFile, 'utf8'));
  });
});
