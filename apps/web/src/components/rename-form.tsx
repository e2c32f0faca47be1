// Inline rename of a file or folder: Enter saves, Escape cancels; a refused name is explained
// under the field.
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useI18n } from '../i18n/use-i18n.ts';
import { ErrorLine } from './error-line.tsx';

// Select the name without its extension, as file managers do, so typing keeps ".pdf".
function selectBaseName(input: HTMLInputElement | null) {
  if (!input) return;
  const dot = input.value.lastIndexOf('.');
  input.focus();
  input.setSelectionRange(0, dot > 0 ? dot : input.value.length);
}

interface RenameFormProps {
  name: string;
  pending: boolean;
  error: unknown;
  /** Saves the new name and calls onDone once it is saved. */
  onSave: (name: string) => void;
  onDone: () => void;
}

export function RenameForm({ name: current, pending, error, onSave, onDone }: RenameFormProps) {
  const { t } = useI18n();
  const [name, setName] = useState(current);

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (name === current) return onDone();
    onSave(name);
  };
  const cancelOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape') onDone();
  };

  return (
    <form className="rename-form" onSubmit={save}>
      <input
        ref={selectBaseName}
        aria-label={t('files.newName', { name: current })}
        value={name}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={cancelOnEscape}
        disabled={pending}
      />
      <button type="submit" className="button button-small button-primary" disabled={pending}>
        {t('files.save')}
      </button>
      <button type="button" className="button button-small" onClick={onDone}>
        {t('files.cancel')}
      </button>
      <ErrorLine error={error} />
    </form>
  );
}
