// The file list for a search: the table, "load more" pages, and the empty and error states.
import type { FileItem } from '@filestore/contract';
import { useState } from 'react';
import { useFiles } from '../api/get-files.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import { DeleteFileDialog } from './delete-file-dialog.tsx';
import { FileRow } from './file-row.tsx';

export function FileBrowser({ q }: { q: string }) {
  const { t, errorText } = useI18n();
  const files = useFiles(q);
  const [deleting, setDeleting] = useState<FileItem | null>(null);

  if (files.isPending) return <p className="placeholder muted">{t('app.loading')}</p>;
  if (files.isError) {
    return (
      <div className="placeholder" role="alert">
        <p>{t('drive.loadFailed', { reason: errorText(files.error) })}</p>
        <button type="button" className="button" onClick={() => void files.refetch()}>
          {t('app.retry')}
        </button>
      </div>
    );
  }

  const items = files.data.pages.flatMap((page) => page.items);
  if (items.length === 0) {
    return (
      <div className="placeholder empty-state" data-testid="empty-state">
        <svg viewBox="0 0 64 64" width="64" height="64" aria-hidden="true">
          <path d="M8 20a4 4 0 0 1 4-4h14l6 6h20a4 4 0 0 1 4 4v22a4 4 0 0 1-4 4H12a4 4 0 0 1-4-4z" />
        </svg>
        {q ? (
          <p className="empty-title">{t('drive.noMatches', { q })}</p>
        ) : (
          <>
            <p className="empty-title">{t('drive.empty')}</p>
            <p className="muted">{t('drive.emptyHint')}</p>
          </>
        )}
      </div>
    );
  }

  return (
    <>
      <table className="file-table">
        <thead>
          <tr>
            <th scope="col">{t('files.name')}</th>
            <th scope="col" className="file-size">
              {t('files.size')}
            </th>
            <th scope="col">{t('files.modified')}</th>
            <th scope="col" className="file-actions">
              <span className="visually-hidden">{t('files.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((file) => (
            <FileRow key={file.id} file={file} onDelete={setDeleting} />
          ))}
        </tbody>
      </table>
      {files.hasNextPage && (
        <div className="load-more">
          <button
            type="button"
            className="button"
            disabled={files.isFetchingNextPage}
            onClick={() => void files.fetchNextPage()}
          >
            {files.isFetchingNextPage ? t('app.loading') : t('drive.loadMore')}
          </button>
        </div>
      )}
      {deleting && <DeleteFileDialog file={deleting} onClose={() => setDeleting(null)} />}
    </>
  );
}
