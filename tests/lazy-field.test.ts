import { describe, expect, it } from 'vitest';
import { lazyField } from '../src/lazy-field.js';

describe('lazyField', () => {
  it('computes on first read, once, then holds a plain data property', () => {
    const obj: { a: number; b?: number[] } = { a: 1 };
    let calls = 0;
    lazyField(obj, 'b', () => {
      calls += 1;
      return [calls];
    });
    expect(calls).toBe(0);
    expect(Object.keys(obj)).toEqual(['a', 'b']);
    expect(obj.b).toEqual([1]);
    expect(obj.b).toBe(obj.b);
    expect(calls).toBe(1);
    expect(Object.getOwnPropertyDescriptor(obj, 'b')).toEqual({ value: [1], writable: true, enumerable: true, configurable: true });
  });

  it('a write before any read keeps the written value and never computes', () => {
    const obj: { b: string } = { b: '' };
    let calls = 0;
    lazyField(obj, 'b', () => {
      calls += 1;
      return 'made';
    });
    obj.b = 'set';
    expect(obj.b).toBe('set');
    expect(calls).toBe(0);
  });

  it('serialises like the value it stands for', () => {
    const obj = { x: 0 };
    lazyField(obj, 'x', () => 42);
    expect(JSON.stringify(obj)).toBe('{"x":42}');
  });
});
