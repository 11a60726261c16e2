import { describe, expect, it } from 'vitest';
import { findRoute, matchPath, navigate, safeNext, subscribeLocation } from './router-core';

describe('matchPath', () => {
  it('matches static and param segments', () => {
    expect(matchPath('/', '/')).toEqual({});
    expect(matchPath('/host/:id', '/host/abc-1')).toEqual({ id: 'abc-1' });
    expect(matchPath('/j/:code', '/j/ACD%20EF')).toEqual({ code: 'ACD EF' });
    expect(matchPath('/host/:id', '/host/abc/')).toEqual({ id: 'abc' });
  });
  it('rejects other paths', () => {
    expect(matchPath('/host/:id', '/host')).toBeNull();
    expect(matchPath('/host/:id', '/s/abc')).toBeNull();
    expect(matchPath('/j/:code', '/j/%E0%A4%A')).toBeNull();
  });
  it('finds the first matching route', () => {
    const routes = [
      { path: '/sessions', value: 'list' },
      { path: '/:any', value: 'any' },
    ];
    expect(findRoute(routes, '/sessions')?.value).toBe('list');
    expect(findRoute(routes, '/x')).toEqual({ value: 'any', params: { any: 'x' } });
    expect(findRoute(routes, '/x/y')).toBeNull();
  });
});

describe('safeNext', () => {
  it('only allows same-origin paths', () => {
    expect(safeNext('/new')).toBe('/new');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext(null, '/sessions')).toBe('/sessions');
  });
});

describe('navigate', () => {
  it('changes the URL and notifies subscribers', () => {
    let calls = 0;
    const off = subscribeLocation(() => calls++);
    navigate('/sessions?x=1');
    expect(window.location.pathname).toBe('/sessions');
    expect(calls).toBe(1);
    off();
    navigate('/');
    expect(calls).toBe(1);
  });
});
