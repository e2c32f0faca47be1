// "A file with this name is already here": Replace (the current content becomes a version), Keep
// both (the upload gets " (1)") or Skip, with "apply to all" while more names in the batch are
// taken. Closing the dialog (Escape) skips this file.
import { useState } from 'react';
import { useStore } from 'zustand';
import { conflictPrompt, type Prompt } from '../drive/conflict-prompt.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import type { ConflictAnswer } from '../upload/conflicts.ts';
import { Dialog } from './dialog.tsx';

export function ConflictDialog() {
  const prompt = useStore(conflictPrompt, (state) => state.prompt);
  // Keyed by the question, so "apply to all" starts unticked for each file.
  return prompt && <ConflictQuestionDialog key={prompt.question.name} prompt={prompt} />;
}

function ConflictQuestionDialog({ prompt: { question, reply } }: { prompt: Prompt }) {
  const { t } = useI18n();
  const [applyToAll, setApplyToAll] = useState(false);
  const answer = (choice: ConflictAnswer) => reply({ answer: choice, applyToAll });
  return (
    <Dialog
      title={t('conflict.title')}
      onClose={() => reply({ answer: 'skip', applyToAll: false })}
    >
      <p>{t('conflict.body', { name: question.name })}</p>
      <p className="muted">{t('conflict.replaceHint')}</p>
      {question.later > 0 && (
        <label className="checkbox-line">
          <input
            type="checkbox"
            checked={applyToAll}
            onChange={(e) => setApplyToAll(e.target.checked)}
          />
          {t('conflict.applyToAll', { count: question.later })}
        </label>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={() => answer('skip')}>
          {t('conflict.skip')}
        </button>
        <button type="button" className="button" onClick={() => answer('keep')}>
          {t('conflict.keep')}
        </button>
        <button
          type="button"
          className="button button-primary"
          autoFocus
          onClick={() => answer('replace')}
        >
          {t('conflict.replace')}
        </button>
      </div>
    </Dialog>
  );
}
