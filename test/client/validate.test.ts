import { describe, expect, it } from 'vitest';
import {
  envelopeProblem,
  errorDetail,
  excerpt,
  jsonDeeperThan,
  pageMeta,
  parseBody,
} from '../../src/core/client/validate.ts';

describe('parseBody', () => {
  it('parses JSON', () => {
    expect(parseBody(' {"data": []}\n', 'application/json')).toEqual({
      ok: true,
      value: { data: [] },
    });
  });
  it.each([
    ['', 'an empty body', true],
    ['{"data": [1, 2', 'truncated JSON', true],
    ['{"data": "ab', 'truncated JSON', true],
    ['{"a":', 'truncated JSON', true],
    ['{"data": <!-- not json --> x', 'invalid JSON', false],
    ['{"a": 1}}', 'invalid JSON', false],
    ['<html><h1>502</h1></html>', 'an HTML/XML page instead of JSON (text/html)', false],
    ['Service Unavailable', 'a body that is not JSON (text/html)', false],
  ])('%j → %s', (text, problem, truncated) => {
    const result = parseBody(text, 'text/html; charset=utf-8');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problem).toContain(problem);
      expect(result.truncated).toBe(truncated);
    }
  });
});

describe('envelopeProblem', () => {
  it.each([
    [{ data: [] }],
    [{ data: {} }],
    [{ data: 'xml' }],
    [{}],
    [{ data: [], meta: { count: 3, next_page: null, previous_page: 1 } }],
    [{ data: [], meta: { count: 3, next_offset: 2, previous_offset: null } }],
    [{ data: {}, meta: { next_post: { slug: 'x' }, previous_post: null } }],
  ])('accepts %j', (body) => {
    expect(envelopeProblem(body)).toBeUndefined();
  });
  it.each([
    [null, 'a JSON object'],
    [[], 'a JSON array'],
    [3, 'a JSON number'],
    [{ detail: 'x' }, 'without the `data` envelope (keys: detail)'],
    [{ data: 1 }, '`data` is a number'],
    [{ data: [], meta: [] }, '`meta` is not an object'],
    [{ data: [], meta: { count: null } }, '`meta.count` is null, expected a non-negative integer'],
    [{ data: [], meta: { count: 1.5 } }, '`meta.count` is 1.5'],
    [{ data: [], meta: { next_offset: 'x' } }, '`meta.next_offset` is "x"'],
  ])('rejects %j', (body, problem) => {
    expect(envelopeProblem(body)).toContain(problem);
  });
});

describe('pageMeta', () => {
  it('reads the pagination fields; undefined without meta', () => {
    expect(pageMeta({ data: [], meta: { count: 5, next_page: 2, previous_page: null } })).toEqual({
      count: 5,
      nextPage: 2,
      previousPage: null,
    });
    expect(pageMeta({ data: [] })).toBeUndefined();
  });
});

describe('errorDetail / excerpt', () => {
  it('takes detail, message, a validation array, or an excerpt of text', () => {
    expect(errorDetail('{"detail":"Invalid token."}')).toBe('Invalid token.');
    expect(errorDetail('{"message":"nope"}')).toBe('nope');
    expect(errorDetail('[{"field":"title","error":"required"}]')).toBe(
      '[{"field":"title","error":"required"}]',
    );
    expect(errorDetail('<html>\r\n<head><title>502 Bad Gateway</title></head></html>')).toBe(
      '502 Bad Gateway',
    );
    expect(errorDetail('')).toBeUndefined();
  });
  it('keeps excerpts short and on one line', () => {
    expect(excerpt('a\n  b')).toBe('a b');
    expect(excerpt('x'.repeat(300))).toHaveLength(161);
  });
});

describe('jsonDeeperThan', () => {
  const deeper = (text: string, max: number) => jsonDeeperThan(Buffer.from(text), max);
  it('counts arrays and objects, not brackets inside strings', () => {
    expect(deeper('{"a":[{"b":[]}]}', 4)).toBe(false);
    expect(deeper('{"a":[{"b":[[]]}]}', 4)).toBe(true);
    expect(deeper('{"a":"[[[[[[", "b": "}}}}"}', 1)).toBe(false);
    // Escaped quotes and backslashes do not end a string early; long strings neither.
    expect(deeper('{"a":"x\\"[[[[\\\\", "b":1}', 1)).toBe(false);
    expect(deeper(`{"a":"${'x'.repeat(500)}\\"[[[[", "b":[1]}`, 2)).toBe(false);
    expect(deeper(`{"a":"${'x'.repeat(500)}", "b":[[[1]]]}`, 3)).toBe(true);
  });
});
