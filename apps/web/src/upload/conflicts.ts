// A batch of files dropped or picked into a folder that already holds some of their names: the
// user is asked once per clashing file — Replace, Keep both or Skip — unless an earlier answer in
// the batch was to apply to all. The result says, per file that goes, what the server should do
// if the name is (still) taken when it lands.
import type { OnConflict } from '@filestore/contract';

export type ConflictAnswer = 'replace' | 'keep' | 'skip';

export interface ConflictQuestion {
  name: string;
  /** Clashing files after this one in the batch (what "apply to all" would also answer). */
  later: number;
}

export interface ConflictReply {
  answer: ConflictAnswer;
  applyToAll: boolean;
}

export type AskConflict = (question: ConflictQuestion) => Promise<ConflictReply>;

/** Names are stored in NFC (the contract normalises them), so compare them that way. */
export const storedName = (name: string) => name.normalize('NFC');

/**
 * The files that go, each with its `onConflict` (undefined: no clash seen, the server's default).
 * `taken`: the names of the files in the target folder.
 */
export async function resolveConflicts<T extends { file: File }>(
  items: readonly T[],
  taken: ReadonlySet<string>,
  ask: AskConflict,
): Promise<(T & { onConflict?: OnConflict })[]> {
  const clashes = items.filter((item) => taken.has(storedName(item.file.name)));
  let forAll: ConflictAnswer | undefined;
  const answers = new Map<T, ConflictAnswer>();
  for (const [index, item] of clashes.entries()) {
    if (forAll === undefined) {
      const reply = await ask({ name: item.file.name, later: clashes.length - index - 1 });
      if (reply.applyToAll) forAll = reply.answer;
      answers.set(item, reply.answer);
    } else answers.set(item, forAll);
  }
  return items.flatMap((item) => {
    const answer = answers.get(item);
    if (answer === undefined) return [item];
    return answer === 'skip' ? [] : [{ ...item, onConflict: answer }];
  });
}
