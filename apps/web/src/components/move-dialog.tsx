// "Move to…": browse the folder tree, starting where the items are, and move them into the
// folder shown. The folders being moved are not offered as places to go (the server refuses a
// folder inside itself anyway).
import { useState } from 'react';
import { useFolderChildren, useFolderPath } from '../api/get-folders.ts';
import type { NamedRef } from '../drive/items.ts';
import { useMoveItems } from '../hooks/use-drive-actions.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import { Dialog } from './dialog.tsx';
import { FolderIcon } from './folder-icon.tsx';
import { ErrorLine } from './error-line.tsx';

interface MoveDialogProps {
  items: NamedRef[];
  /** The folder the items are in now: where browsing starts. */
  from: string | null;
  onClose: () => void;
  onMoved: () => void;
}

export function MoveDialog({ items, from, onClose, onMoved }: MoveDialogProps) {
  const { t } = useI18n();
  const [at, setAt] = useState(from);
  const path = useFolderPath(at);
  const children = useFolderChildren(at);
  const move = useMoveItems();
  const moving = new Set(items.filter((i) => i.kind === 'folder').map((i) => i.id));
  const crumbs = at === null ? [] : (path.data?.path ?? []);
  const title =
    items.length === 1
      ? t('drive.moveOneTitle', { name: items[0]!.name })
      : t('drive.moveManyTitle', { count: items.length });

  return (
    <Dialog title={title} onClose={onClose}>
      <nav className="move-path" aria-label={t('folders.path')}>
        <button
          type="button"
          className="button button-small button-ghost"
          onClick={() => setAt(null)}
        >
          {t('drive.title')}
        </button>
        {crumbs.map((folder) => (
          <span key={folder.id}>
            <span aria-hidden="true">/</span>
            <button
              type="button"
              className="button button-small button-ghost"
              onClick={() => setAt(folder.id)}
            >
              {folder.name}
            </button>
          </span>
        ))}
      </nav>
      <ul className="move-list" aria-label={t('folders.subfolders')}>
        {children.data
          ?.filter((folder) => !moving.has(folder.id))
          .map((folder) => (
            <li key={folder.id}>
              <button type="button" className="move-target" onClick={() => setAt(folder.id)}>
                <FolderIcon />
                {folder.name}
              </button>
            </li>
          ))}
        {children.data?.length === 0 && <li className="muted">{t('folders.noSubfolders')}</li>}
      </ul>
      <ErrorLine error={move.error} />
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onClose}>
          {t('files.cancel')}
        </button>
        <button
          type="button"
          className="button button-primary"
          disabled={move.isPending || at === from}
          onClick={() =>
            move.mutate(
              { refs: items, folderId: at },
              {
                onSuccess: () => {
                  onMoved();
                  onClose();
                },
              },
            )
          }
        >
          {t('drive.moveHere')}
        </button>
      </div>
    </Dialog>
  );
}
