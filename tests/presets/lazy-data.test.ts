// The bundled presets load lazily (src/presets/lazy-data.ts); readers must not be able to tell.
import { describe, expect, it } from 'vitest';
import { lookupKeys, Registry, emptyCatalog } from '../../src/presets/catalog.js';
import { LOOKUP, lazyPresets, splitPresets } from '../../src/presets/lazy-data.js';
import { loadPresetDir } from '../../src/presets/load-dir.js';
import { join } from 'node:path';

const { catalog } = loadPresetDir(join(import.meta.dirname, '..', '..', 'presets'));

describe('lazy preset data', () => {
  it.each(['gpus', 'models', 'scenarios', 'clusters', 'prices', 'grids', 'runs'] as const)('%s: split and joined again is the same JSON, key order included', (kind) => {
    const { text, details } = splitPresets(catalog[kind], lookupKeys(catalog[kind]));
    const lazy = lazyPresets(text, () => details);
    expect(JSON.stringify(lazy)).toBe(JSON.stringify(catalog[kind]));
  });

  it('parses only the presets read, and reads the prose only when it is read', () => {
    const presets = [
      { id: 'a', aliases: ['Alpha One'], n: 1, sources: [{ title: 't', note: 'x' }], nested: { note: 'y', v: 2 } },
      { id: 'b', n: 2, notes: ['z'] },
    ];
    const { text, details } = splitPresets(presets, lookupKeys(presets));
    expect(text).not.toContain('"t"');
    let detailReads = 0;
    const lazy = lazyPresets<(typeof presets)[number]>(text, () => {
      detailReads += 1;
      return details;
    });
    expect(lazy[1]?.n).toBe(2);
    expect(lazy.length).toBe(2);
    expect(detailReads).toBe(0);
    expect(lazy[0]?.nested?.v).toBe(2);
    expect(detailReads).toBe(0);
    expect(lazy[0]?.nested?.note).toBe("y");
    expect(lazy[1]?.notes).toEqual(['z']);
    expect(lazy[0]?.sources).toEqual([{ title: 't', note: 'x' }]);
    expect(detailReads).toBe(1);
    expect(Object.keys(lazy[0] ?? {})).toEqual(['id', 'aliases', 'n', 'sources', 'nested']);
    // Fields can still be assigned.
    (lazy[1] as { notes: string[] }).notes = ['w'];
    expect(lazy[1]?.notes).toEqual(['w']);
  });

  it('parses a preset only when it is read: a broken line does no harm until then', () => {
    const presets = [{ id: 'a' }, { id: 'b' }];
    const { text, details } = splitPresets(presets, lookupKeys(presets));
    const broken = text.replace('{"id":"a"}', '{"id":');
    const lazy = lazyPresets<{ id: string }>(broken, () => details);
    expect(lazy[1]?.id).toBe('b');
    expect(() => lazy[0]).toThrow(SyntaxError);
  });

  it('a Registry finds lazy presets by id and normalised alias, as it finds plain ones', () => {
    const presets = [
      { id: 'x-1', aliases: ['X One'] },
      { id: 'y', aliases: ['x-1'] }, // an alias equal to another id: the id wins
    ];
    const { text, details } = splitPresets(presets, lookupKeys(presets));
    const lazy = lazyPresets<{ id: string; aliases: string[] }>(text, () => details);
    expect((lazy as unknown as Record<symbol, unknown>)[LOOKUP]).toBeInstanceOf(Map);
    const fromLazy = new Registry({ ...emptyCatalog(), gpus: lazy as never });
    const fromPlain = new Registry({ ...emptyCatalog(), gpus: presets as never });
    for (const r of [fromLazy, fromPlain]) {
      expect(r.find('gpus', 'x one')?.id).toBe('x-1');
      expect(r.find('gpus', 'X_1')?.id).toBe('x-1');
      expect(r.find('gpus', 'y')?.id).toBe('y');
      expect(r.find('gpus', 'nope')).toBeUndefined();
    }
  });
});
