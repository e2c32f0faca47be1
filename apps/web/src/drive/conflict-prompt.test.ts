import { describe, expect, it } from 'vitest';
import { askConflict, conflictPrompt } from './conflict-prompt.ts';

const current = () => conflictPrompt.getState().prompt;

describe('askConflict', () => {
  it('shows the question until it is answered, and resolves with the answer', async () => {
    const answer = askConflict({ name: 'a.txt', later: 2 });
    expect(current()?.question).toEqual({ name: 'a.txt', later: 2 });
    current()!.reply({ answer: 'replace', applyToAll: true });
    await expect(answer).resolves.toEqual({ answer: 'replace', applyToAll: true });
    expect(current()).toBeNull();
  });

  it("a late second reply (the dialog's close event) cannot answer or clear the next question", async () => {
    const first = askConflict({ name: 'a.txt', later: 1 });
    const firstPrompt = current()!;
    firstPrompt.reply({ answer: 'keep', applyToAll: false });
    await expect(first).resolves.toMatchObject({ answer: 'keep' });

    const second = askConflict({ name: 'b.txt', later: 0 });
    firstPrompt.reply({ answer: 'skip', applyToAll: false });
    expect(current()?.question.name).toBe('b.txt');
    current()!.reply({ answer: 'replace', applyToAll: false });
    await expect(second).resolves.toMatchObject({ answer: 'replace' });
  });
});
