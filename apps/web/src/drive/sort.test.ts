import { describe, expect, it } from 'vitest';
import { DEFAULT_SORT, nextSort, readSort, sortFolders, writeSort } from './sort.ts';

describe('readSort', () => {
  it('defaults to newest first', () => {
    expect(readSort(new URLSearchParams())).toEqual(DEFAULT_SORT);
  });

  it('reads a key and order, and a key alone in its natural order', () => {
    expect(readSort(new URLSearchParams('sort=name&order=desc'))).toEqual({
      sort: 'name',
      order: 'desc',
    });
    expect(readSort(new URLSearchParams('sort=name'))).toEqual({ sort: 'name', order: 'asc' });
    expect(readSort(new URLSearchParams('sort=size'))).toEqual({ sort: 'size', order: 'desc' });
  });

  it('ignores values it does not know', () => {
    expect(readSort(new URLSearchParams('sort=colour&order=up'))).toEqual(DEFAULT_SORT);
  });
});

describe('writeSort', () => {
  it('keeps other parameters and leaves the default out', () => {
    const params = new URLSearchParams('q=x&sort=name&order=asc');
    expect(writeSort(params, DEFAULT_SORT).toString()).toBe('q=x');
    expect(writeSort(params, { sort: 'size', order: 'asc' }).toString()).toBe(
      'q=x&sort=size&order=asc',
    );
  });

  it('round-trips through readSort', () => {
    const sort = { sort: 'name', order: 'desc' } as const;
    expect(readSort(writeSort(new URLSearchParams(), sort))).toEqual(sort);
  });
});

describe('nextSort', () => {
  it('starts a new column in its natural order and flips the current one', () => {
    expect(nextSort(DEFAULT_SORT, 'name')).toEqual({ sort: 'name', order: 'asc' });
    expect(nextSort({ sort: 'name', order: 'asc' }, 'name')).toEqual({
      sort: 'name',
      order: 'desc',
    });
    expect(nextSort(DEFAULT_SORT, 'date')).toEqual({ sort: 'date', order: 'asc' });
  });
});

describe('sortFolders', () => {
  const folders = [
    { name: 'b', updatedAt: '2026-01-02T00:00:00Z' },
    { name: 'a', updatedAt: '2026-01-03T00:00:00Z' },
    { name: 'c', updatedAt: '2026-01-01T00:00:00Z' },
  ];
  const names = (list: { name: string }[]) => list.map((f) => f.name).join('');

  it('sorts by name either way', () => {
    expect(names(sortFolders(folders, { sort: 'name', order: 'asc' }))).toBe('abc');
    expect(names(sortFolders(folders, { sort: 'name', order: 'desc' }))).toBe('cba');
  });

  it('sorts by date either way', () => {
    expect(names(sortFolders(folders, { sort: 'date', order: 'desc' }))).toBe('abc');
    expect(names(sortFolders(folders, { sort: 'date', order: 'asc' }))).toBe('cba');
  });

  it('lists folders by name when files are sorted by size', () => {
    expect(names(sortFolders(folders, { sort: 'size', order: 'desc' }))).toBe('abc');
  });

  it('leaves the input alone', () => {
    sortFolders(folders, { sort: 'name', order: 'asc' });
    expect(names(folders)).toBe('bac');
  });
});
