// The question the conflict dialog shows now, as a promise the upload batch awaits
// (upload/upload-batch.ts asks one batch at a time, so there is at most one question).
import { createStore } from 'zustand/vanilla';
import type { AskConflict, ConflictQuestion, ConflictReply } from '../upload/conflicts.ts';

export interface Prompt {
  question: ConflictQuestion;
  reply: (reply: ConflictReply) => void;
}

export const conflictPrompt = createStore<{ prompt: Prompt | null }>(() => ({ prompt: null }));

export const askConflict: AskConflict = (question) =>
  new Promise((resolve) => {
    const prompt: Prompt = {
      question,
      reply: (reply) => {
        // Only this question's first answer counts (a button, then the dialog's close event).
        if (conflictPrompt.getState().prompt !== prompt) return;
        conflictPrompt.setState({ prompt: null });
        resolve(reply);
      },
    };
    conflictPrompt.setState({ prompt });
  });
