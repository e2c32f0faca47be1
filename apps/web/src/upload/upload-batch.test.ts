import { describe, expect, it, vi } from 'vitest';
import type { ConflictQuestion, ConflictReply } from './conflicts.ts';

const events: string[] = [];
vi.mock('../api/get-file-names.ts', () => ({
  getFileNames: async (folderId: string | null) => {
    events.push(`names ${folderId}`);
    return new Set(['taken.txt']);
  },
}));
vi.mock('./uploader.ts', () => ({
  enqueueUploads: (items: { file: File; onConflict?: string }[], folderId: string | null) =>
    events.push(
      `queue ${folderId}: ${items.map((i) => `${i.file.name}=${i.onConflict ?? '-'}`).join(' ')}`,
    ),
}));

const { uploadBatch } = await import('./upload-batch.ts');

const file = (name: string) => new File(['x'], name);

describe('uploadBatch', () => {
  it('queues each batch with its answers, one batch at a time', async () => {
    const replies: ((reply: ConflictReply) => void)[] = [];
    const ask = (question: ConflictQuestion) => {
      events.push(`ask ${question.name}`);
      return new Promise<ConflictReply>((resolve) => replies.push(resolve));
    };
    const first = uploadBatch([file('taken.txt'), file('new.txt')], 'f1', ask);
    const second = uploadBatch([file('taken.txt')], 'f2', ask);
    await vi.waitFor(() => expect(replies).toHaveLength(1));
    // The second batch has not even read its folder while the first one waits for an answer.
    expect(events).toEqual(['names f1', 'ask taken.txt']);
    replies[0]!({ answer: 'replace', applyToAll: false });
    await first;
    await vi.waitFor(() => expect(replies).toHaveLength(2));
    replies[1]!({ answer: 'skip', applyToAll: false });
    await second;
    expect(events).toEqual([
      'names f1',
      'ask taken.txt',
      'queue f1: taken.txt=replace new.txt=-',
      'names f2',
      'ask taken.txt',
      'queue f2: ',
    ]);
  });
});
