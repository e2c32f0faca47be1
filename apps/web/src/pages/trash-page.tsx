// The trash: what the user deleted, newest first, with where it was, its size, when it was
// deleted and when it will be purged. Restore puts an item back (a toast says so); "Delete
// forever" and "Empty trash" ask first. Trashed items still count toward the quota: the page says so.
import { useState } from 'react';
import { useDeleteTrashItem } from '../api/delete-trash-item.ts';
import { useEmptyTrash } from '../api/empty-trash.ts';
import { useTrash, type TrashItem } from '../api/get-trash.ts';
import { useRestoreTrashItem } from '../api/restore-trash-item.ts';
import { ListPage } from '../components/list-page.tsx';
import { ConfirmDialog } from '../components/confirm-dialog.tsx';
import { ErrorLine } from '../components/error-line.tsx';
import { TrashRow } from '../components/trash-row.tsx';
import { useI18n } from '../i18n/use-i18n.ts';
import { toasts } from '../toasts/toast-store.ts';
import { LoadMore } from '../components/load-more.tsx';
import { TableHead } from '../components/table-head.tsx';
import { LoadFailed } from '../components/load-failed.tsx';

function DeleteForeverDialog({ item, onClose }: { item: TrashItem; onClose: () => void }) {
  const { t } = useI18n();
  const remove = useDeleteTrashItem();
  return (
    <ConfirmDialog
      title={t('trash.deleteForeverTitle', { name: item.name })}
      body={t('trash.deleteForeverBody')}
      confirmLabel={t('trash.deleteForever')}
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(item.id, { onSuccess: onClose })}
      onClose={onClose}
    />
  );
}

function EmptyTrashDialog({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const empty = useEmptyTrash();
  return (
    <ConfirmDialog
      title={t('trash.emptyTitle')}
      body={t('trash.emptyBody')}
      confirmLabel={t('trash.emptyTrash')}
      pending={empty.isPending}
      error={empty.error}
      onConfirm={() => empty.mutate(undefined, { onSuccess: onClose })}
      onClose={onClose}
    />
  );
}

type Asking = { dialog: 'deleteForever'; item: TrashItem } | { dialog: 'empty' };

function TrashList() {
  const { t, errorText } = useI18n();
  const trash = useTrash();
  const restore = useRestoreTrashItem();
  const [asking, setAsking] = useState<Asking | null>(null);

  if (trash.isError) {
    return (
      <LoadFailed
        message={t('trash.loadFailed', { reason: errorText(trash.error) })}
        onRetry={() => void trash.refetch()}
      />
    );
  }
  if (trash.isPending) return <p className="placeholder muted">{t('app.loading')}</p>;
  const items = trash.data.pages.flatMap((page) => page.items);
  if (items.length === 0) {
    return (
      <div className="placeholder empty-state" data-testid="trash-empty">
        <p className="empty-title">{t('trash.empty')}</p>
        <p className="muted">{t('trash.emptyHint')}</p>
      </div>
    );
  }
  const onRestore = (item: TrashItem) =>
    restore.mutate(item.id, {
      onSuccess: () => toasts.show({ message: 'toast.restored', params: { name: item.name } }),
    });

  return (
    <>
      <div className="trash-actions">
        <ErrorLine error={restore.error} />
        <button
          type="button"
          className="button button-small button-danger-text"
          onClick={() => setAsking({ dialog: 'empty' })}
        >
          {t('trash.emptyTrash')}
        </button>
      </div>
      <table className="file-table trash-table">
        <TableHead
          columns={[
            { label: t('files.name') },
            { label: t('trash.originalPath'), className: 'trash-path' },
            { label: t('files.size'), className: 'file-size' },
            { label: t('trash.deletedAt'), className: 'file-date' },
            { label: t('trash.purgeAt'), className: 'file-date' },
          ]}
        />
        <tbody>
          {items.map((item) => (
            <TrashRow
              key={item.id}
              item={item}
              restoring={restore.isPending && restore.variables === item.id}
              onRestore={onRestore}
              onDeleteForever={(it) => setAsking({ dialog: 'deleteForever', item: it })}
            />
          ))}
        </tbody>
      </table>
      <LoadMore list={trash} />
      {asking?.dialog === 'deleteForever' && (
        <DeleteForeverDialog item={asking.item} onClose={() => setAsking(null)} />
      )}
      {asking?.dialog === 'empty' && <EmptyTrashDialog onClose={() => setAsking(null)} />}
    </>
  );
}

export function TrashPage() {
  const { t } = useI18n();
  return (
    <ListPage
      title={t('trash.title')}
      note={
        <p className="muted search-note" data-testid="trash-quota-note">
          {t('trash.quotaNote')}
        </p>
      }
    >
      <TrashList />
    </ListPage>
  );
}
