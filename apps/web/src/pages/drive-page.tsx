// The drive: the open folder (the root at "/", others at "/folders/:id") with its breadcrumbs,
// search across folders, sorting (kept in the URL), new folders, uploads by picker or by dropping
// files anywhere on the page (asking about names already taken), moves by dragging rows onto
// folders or breadcrumbs, and deletes that move to the trash (moves and deletes offer an Undo).
import type { User } from '@filestore/contract';
import { useState, type ReactNode } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { isApiError } from '../api/client.ts';
import { useFolderPath } from '../api/get-folders.ts';
import { AppHeader } from '../components/app-header.tsx';
import { Breadcrumbs } from '../components/breadcrumbs.tsx';
import { ConflictDialog } from '../components/conflict-dialog.tsx';
import { DropOverlay } from '../components/drop-overlay.tsx';
import { FileBrowser } from '../components/file-browser.tsx';
import { NewFolderButton } from '../components/new-folder-button.tsx';
import { RequireUser } from '../components/require-user.tsx';
import { SearchBox } from '../components/search-box.tsx';
import { TransferPanel } from '../components/transfer-panel.tsx';
import { UploadButton } from '../components/upload-button.tsx';
import { askConflict } from '../drive/conflict-prompt.ts';
import type { NamedRef } from '../drive/items.ts';
import { readSort, writeSort, type Sort } from '../drive/sort.ts';
import { useDebouncedValue } from '../hooks/use-debounced-value.ts';
import { useMoveItems, useTrashItems } from '../hooks/use-drive-actions.ts';
import { useFileDrop } from '../hooks/use-file-drop.ts';
import type { MoveHandler } from '../hooks/use-item-drop.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import type { PickedFile } from '../upload/file-handles.ts';
import { uploadBatch } from '../upload/upload-batch.ts';

const SEARCH_DEBOUNCE_MS = 300;

function Drive({ user }: { user: User }) {
  const { t, errorText } = useI18n();
  const folderId = useParams().folderId ?? null;
  const [params, setParams] = useSearchParams();
  const sort = readSort(params);
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim(), SEARCH_DEBOUNCE_MS);
  const folder = useFolderPath(folderId);
  const move = useMoveItems();
  const trash = useTrashItems();
  const [uploadError, setUploadError] = useState<unknown>(null);
  const upload = (files: (File | PickedFile)[]) => {
    setUploadError(null);
    uploadBatch(files, folderId, askConflict).catch(setUploadError);
  };
  const dragging = useFileDrop(upload);

  const onMove: MoveHandler = (refs, target) => move.mutate({ refs, folderId: target });
  const onTrash = (items: NamedRef[]) => trash.mutate(items);
  const onSort = (next: Sort) => setParams(writeSort(params, next), { replace: true });
  const title = folderId === null ? t('drive.title') : (folder.data?.folder.name ?? '');

  return (
    <div className="drive">
      <AppHeader user={user} />
      <main className="drive-main">
        <div className="toolbar">
          <h1>{title}</h1>
          <SearchBox value={search} onChange={setSearch} />
          <NewFolderButton parentId={folderId} />
          <UploadButton onFiles={upload} />
        </div>
        <Breadcrumbs path={folder.data?.path ?? []} onMove={onMove} />
        {q && <p className="muted search-note">{t('drive.searchEverywhere')}</p>}
        {move.error && (
          <Notice onDismiss={move.reset}>
            {t('drive.moveFailed', { reason: errorText(move.error) })}
          </Notice>
        )}
        {trash.error && (
          <Notice onDismiss={trash.reset}>
            {t('drive.deleteFailed', { reason: errorText(trash.error) })}
          </Notice>
        )}
        {uploadError != null && (
          <Notice onDismiss={() => setUploadError(null)}>
            {t('drive.checkNamesFailed', { reason: errorText(uploadError) })}
          </Notice>
        )}
        <section className="card">
          {folder.isError ? (
            <div className="placeholder" role="alert">
              <p>
                {isApiError(folder.error, 'not_found')
                  ? t('folders.gone')
                  : errorText(folder.error)}
              </p>
              <Link to="/">{t('folders.backToRoot')}</Link>
            </div>
          ) : (
            // Keyed: another folder starts with nothing selected. (A new search keeps showing the
            // last results until its own arrive; rows it hides drop out of the selection.)
            <FileBrowser
              key={folderId ?? 'root'}
              folderId={folderId}
              q={q}
              sort={sort}
              onSort={onSort}
              onMove={onMove}
              onTrash={onTrash}
            />
          )}
        </section>
      </main>
      <TransferPanel />
      {dragging && <DropOverlay />}
      <ConflictDialog />
    </div>
  );
}

function Notice({ children, onDismiss }: { children: ReactNode; onDismiss: () => void }) {
  const { t } = useI18n();
  return (
    <div className="notice" role="alert">
      {children}
      <button type="button" className="button button-small button-ghost" onClick={onDismiss}>
        {t('drive.dismiss')}
      </button>
    </div>
  );
}

export function DrivePage() {
  return <RequireUser>{(user) => <Drive user={user} />}</RequireUser>;
}
