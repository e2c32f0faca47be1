import { describe, expect, it } from 'vitest';
import {
  resolveConflicts,
  type ConflictQuestion,
  type ConflictReply,
  type ConflictAnswer,
} from './conflicts.ts';

const item = (name: string) => ({ file: new File(['x'], name) });

/** An asker that answers from a script and records the questions. */
function scripted(replies: ConflictReply[]) {
  const asked: ConflictQuestion[] = [];
  const ask = (question: ConflictQuestion) => {
    asked.push(question);
    const reply = replies.shift();
    if (!reply) throw new Error(`asked once too often: ${question.name}`);
    return Promise.resolve(reply);
  };
  return { asked, ask };
}

const once = (answer: ConflictAnswer): ConflictReply => ({ answer, applyToAll: false });
const forAll = (answer: ConflictAnswer): ConflictReply => ({ answer, applyToAll: true });

const plan = (out: { file: File; onConflict?: string }[]) =>
  out.map(({ file, onConflict }) => [file.name, onConflict ?? 'default']);

describe('resolveConflicts', () => {
  it('asks nothing when no name is taken, and leaves the server its default', async () => {
    const { asked, ask } = scripted([]);
    const out = await resolveConflicts([item('a.txt'), item('b.txt')], new Set(['c.txt']), ask);
    expect(asked).toEqual([]);
    expect(plan(out)).toEqual([
      ['a.txt', 'default'],
      ['b.txt', 'default'],
    ]);
  });

  it('asks once per clashing file and applies each answer to its own file', async () => {
    const { asked, ask } = scripted([once('replace'), once('skip'), once('keep')]);
    const items = [item('a'), item('new'), item('b'), item('c')];
    const out = await resolveConflicts(items, new Set(['a', 'b', 'c']), ask);
    expect(asked).toEqual([
      { name: 'a', later: 2 },
      { name: 'b', later: 1 },
      { name: 'c', later: 0 },
    ]);
    expect(plan(out)).toEqual([
      ['a', 'replace'],
      ['new', 'default'],
      ['c', 'keep'],
    ]);
  });

  it('"apply to all" answers the rest of the batch without asking again', async () => {
    const { asked, ask } = scripted([once('keep'), forAll('skip')]);
    const items = [item('a'), item('b'), item('c'), item('d'), item('free')];
    const out = await resolveConflicts(items, new Set(['a', 'b', 'c', 'd']), ask);
    expect(asked.map((q) => q.name)).toEqual(['a', 'b']);
    expect(plan(out)).toEqual([
      ['a', 'keep'],
      ['free', 'default'],
    ]);
  });

  it('replace for all sends every clashing file with onConflict=replace', async () => {
    const { ask } = scripted([forAll('replace')]);
    const out = await resolveConflicts([item('a'), item('b')], new Set(['a', 'b']), ask);
    expect(plan(out)).toEqual([
      ['a', 'replace'],
      ['b', 'replace'],
    ]);
  });

  it('compares names as the server stores them (NFC)', async () => {
    const { asked, ask } = scripted([once('replace')]);
    const decomposed = 'Cafe\u0301.txt'; // "Café" with a combining accent, as macOS names files
    const out = await resolveConflicts([item(decomposed)], new Set(['Caf\u00e9.txt']), ask);
    expect(asked).toHaveLength(1);
    expect(out[0]?.onConflict).toBe('replace');
  });
});
