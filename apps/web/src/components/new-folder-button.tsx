// "New folder": asks for a name and creates the folder inside the open one.
import { useState, type FormEvent } from 'react';
import { useCreateFolder } from '../api/create-folder.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import { Dialog } from './dialog.tsx';
import { ErrorLine } from './error-line.tsx';

function NewFolderDialog({ parentId, onClose }: { parentId: string | null; onClose: () => void }) {
  const { t } = useI18n();
  const [name, setName] = useState('');
  const create = useCreateFolder();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), parentId }, { onSuccess: onClose });
  };
  return (
    <Dialog title={t('folders.new')} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        <label className="field">
          <span>{t('folders.name')}</span>
          <input autoFocus value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <ErrorLine error={create.error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            {t('files.cancel')}
          </button>
          <button type="submit" className="button button-primary" disabled={create.isPending}>
            {t('folders.create')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}

export function NewFolderButton({ parentId }: { parentId: string | null }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button" onClick={() => setOpen(true)}>
        {t('folders.new')}
      </button>
      {open && <NewFolderDialog parentId={parentId} onClose={() => setOpen(false)} />}
    </>
  );
}
