import { describe, expect, it } from 'vitest';
import {
  decodeDrag,
  dragRefs,
  encodeDrag,
  itemKey,
  itemOfKey,
  splitRefs,
  toggleAll,
  toggleKey,
  type ItemKey,
} from './items.ts';

describe('item keys', () => {
  it('round-trip, ids with colons included', () => {
    expect(itemOfKey(itemKey({ kind: 'folder', id: 'a:b' }))).toEqual({
      kind: 'folder',
      id: 'a:b',
    });
  });
});

describe('selection', () => {
  it('toggles one key without touching the given set', () => {
    const start = new Set<ItemKey>(['file:1']);
    expect([...toggleKey(start, 'file:2')]).toEqual(['file:1', 'file:2']);
    expect([...toggleKey(start, 'file:1')]).toEqual([]);
    expect([...start]).toEqual(['file:1']);
  });

  it('selects every visible row, or clears once all are selected', () => {
    const visible: ItemKey[] = ['folder:a', 'file:1'];
    expect([...toggleAll(new Set(['file:1']), visible)]).toEqual(visible);
    expect([...toggleAll(new Set(visible), visible)]).toEqual([]);
    expect([...toggleAll(new Set(), [])]).toEqual([]);
  });

  it('splits references into file and folder ids', () => {
    expect(
      splitRefs([
        { kind: 'file', id: '1' },
        { kind: 'folder', id: 'a' },
        { kind: 'file', id: '2' },
      ]),
    ).toEqual({ fileIds: ['1', '2'], folderIds: ['a'] });
  });
});

describe('drag payload', () => {
  it('round-trips references', () => {
    const refs = [
      { kind: 'file', id: '1' },
      { kind: 'folder', id: 'a' },
    ] as const;
    expect(decodeDrag(encodeDrag(refs))).toEqual(refs);
  });

  it('carries nothing for foreign or malformed data', () => {
    expect(decodeDrag('not json')).toEqual([]);
    expect(decodeDrag('{"kind":"file","id":"1"}')).toEqual([]);
    expect(decodeDrag('[{"kind":"disk","id":"1"},{"kind":"file","id":2},null]')).toEqual([]);
  });

  it('drags the selection when the row is in it, else the row alone', () => {
    const selected = new Set<ItemKey>(['file:1', 'folder:a']);
    expect(dragRefs({ kind: 'file', id: '1' }, selected)).toEqual([
      { kind: 'file', id: '1' },
      { kind: 'folder', id: 'a' },
    ]);
    expect(dragRefs({ kind: 'file', id: '9' }, selected)).toEqual([{ kind: 'file', id: '9' }]);
  });
});
