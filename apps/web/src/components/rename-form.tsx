// Inline rename: Enter saves, Escape cancels; a refused name is explained under the field.
import type { FileItem } from '@filestore/contract';
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useRenameFile } from '../api/rename-file.ts';
import { useI18n } from '../i18n/use-i18n.ts';

// Select the name without its extension, as file managers do, so typing keeps ".pdf".
function selectBaseName(input: HTMLInputElement | null) {
  if (!input) return;
  const dot = input.value.lastIndexOf('.');
  input.focus();
  input.setSelectionRange(0, dot > 0 ? dot : input.value.length);
}

export function RenameForm({ file, onDone }: { file: FileItem; onDone: () => void }) {
  const { t, errorText } = useI18n();
  const [name, setName] = useState(file.name);
  const rename = useRenameFile();

  const save = (event: FormEvent) => {
    event.preventDefault();
    if (name === file.name) return onDone();
    rename.mutate({ id: file.id, name }, { onSuccess: onDone });
  };
  const cancelOnEscape = (event: KeyboardEvent) => {
    if (event.key === 'Escape') onDone();
  };

  return (
    <form className="rename-form" onSubmit={save}>
      <input
        ref={selectBaseName}
        aria-label={t('files.newName', { name: file.name })}
        value={name}
        onChange={(e) => setName(e.target.value)}
        onKeyDown={cancelOnEscape}
        disabled={rename.isPending}
      />
      <button
        type="submit"
        className="button button-small button-primary"
        disabled={rename.isPending}
      >
        {t('files.save')}
      </button>
      <button type="button" className="button button-small" onClick={onDone}>
        {t('files.cancel')}
      </button>
      {rename.error && (
        <p className="form-error" role="alert">
          {errorText(rename.error)}
        </p>
      )}
    </form>
  );
}
