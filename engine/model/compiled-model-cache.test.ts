import { describe, expect, it } from 'vitest';
import { CompiledModelCache } from './compiled-model-cache.js';
import { compileBpmn, compiledBpmn } from './compile-bpmn.js';
import { around, bpmn, job } from './test-xml.js';

/** A cache whose compile() counts its calls and returns `{ name, source }`. */
function counting(maxSourceBytes: number) {
  const cache = new CompiledModelCache<{ name: string; source: string; list: string[] }>(maxSourceBytes);
  const compiled: string[] = [];
  const get = (name: string, source: string) =>
    cache.get(name, source, async () => {
      compiled.push(`${name}:${source}`);
      return { name, source, list: [source] };
    });
  return { cache, compiled, get };
}

describe('CompiledModelCache', () => {
  it('compiles a resource once per name and content', async () => {
    const { cache, compiled, get } = counting(1_000);
    expect(await get('a.bpmn', 'one')).toEqual({ name: 'a.bpmn', source: 'one', list: ['one'] });
    expect(await get('a.bpmn', 'one')).toEqual({ name: 'a.bpmn', source: 'one', list: ['one'] });
    await get('a.bpmn', 'two'); // other content
    await get('b.bpmn', 'one'); // same content, other name (refusals carry the name)
    expect(compiled).toEqual(['a.bpmn:one', 'a.bpmn:two', 'b.bpmn:one']);
    expect([cache.hits, cache.misses, cache.size]).toEqual([1, 3, 3]);
  });

  it('hands out copies: what one caller changes, the next does not see', async () => {
    const { get } = counting(1_000);
    const first = await get('a.bpmn', 'one');
    first.list.push('changed');
    const second = await get('a.bpmn', 'one');
    expect(second.list).toEqual(['one']);
    second.list.push('again');
    expect((await get('a.bpmn', 'one')).list).toEqual(['one']);
  });

  it('drops the least recently used results when the sources exceed the bound', async () => {
    // Each entry counts its name and source: 'a' + 4 characters = 5.
    const { cache, compiled, get } = counting(10);
    await get('a', '1111');
    await get('b', '2222');
    await get('a', '1111'); // a is now the most recently used
    await get('c', '3333'); // 15 > 10: b goes
    expect(cache.sourceBytes).toBe(10);
    await get('a', '1111');
    await get('c', '3333');
    await get('b', '2222');
    expect(compiled).toEqual(['a:1111', 'b:2222', 'c:3333', 'b:2222']);
  });

  it('counts a resource once when two callers compile it at the same time', async () => {
    const { cache, compiled, get } = counting(1_000);
    await Promise.all([get('a', '1111'), get('a', '1111')]);
    expect(compiled).toEqual(['a:1111', 'a:1111']);
    expect([cache.size, cache.sourceBytes]).toEqual([1, 5]);
  });

  it('does not keep a result whose source alone is over the bound', async () => {
    const { cache, compiled, get } = counting(5);
    await get('big', 'more than five');
    await get('big', 'more than five');
    expect(compiled).toHaveLength(2);
    expect([cache.size, cache.sourceBytes]).toEqual([0, 0]);
  });
});

describe('compileBpmn through the cache', () => {
  it('compiles the same diagram once, and each deployment gets a model of its own', async () => {
    const xml = bpmn(around(`<bpmn:serviceTask id="x" name="Cached">${job('cache-test')}</bpmn:serviceTask>`));
    const misses = compiledBpmn.misses;
    const first = await compileBpmn('cache-test.bpmn', xml);
    const second = await compileBpmn('cache-test.bpmn', xml);
    expect(compiledBpmn.misses).toBe(misses + 1);
    expect(second).toEqual(first);
    expect(second.processes[0]).not.toBe(first.processes[0]);
  });
});
