// Asks before deleting; stays open with the reason if the server refuses.
import type { FileItem } from '@filestore/contract';
import { useEffect, useRef } from 'react';
import { useDeleteFile } from '../api/delete-file.ts';
import { useI18n } from '../i18n/use-i18n.ts';

export function DeleteFileDialog({ file, onClose }: { file: FileItem; onClose: () => void }) {
  const { t, errorText } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const remove = useDeleteFile();

  // showModal (not the `open` attribute) makes the rest of the page inert and Escape close it.
  useEffect(() => {
    dialog.current?.showModal();
  }, []);

  return (
    <dialog ref={dialog} className="dialog" aria-labelledby="delete-title" onClose={onClose}>
      <h2 id="delete-title">{t('files.deleteTitle')}</h2>
      <p>{t('files.deleteBody', { name: file.name })}</p>
      {remove.error && (
        <p className="form-error" role="alert">
          {errorText(remove.error)}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" autoFocus onClick={onClose}>
          {t('files.cancel')}
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={remove.isPending}
          onClick={() => remove.mutate(file.id, { onSuccess: onClose })}
        >
          {t('files.delete')}
        </button>
      </div>
    </dialog>
  );
}
