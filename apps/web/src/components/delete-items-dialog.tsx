// Deleting one file, one folder (with everything in it) or a selection, after asking.
import { useDeleteItems } from '../api/drive-items.ts';
import type { NamedRef } from '../drive/items.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import { ConfirmDialog } from './confirm-dialog.tsx';

export function DeleteItemsDialog({ items, onClose }: { items: NamedRef[]; onClose: () => void }) {
  const { t } = useI18n();
  const remove = useDeleteItems();
  const [only] = items;
  const one = items.length === 1 && only;
  const title = !one
    ? t('drive.deleteManyTitle', { count: items.length })
    : only.kind === 'file'
      ? t('files.deleteTitle')
      : t('folders.deleteTitle');
  const body = !one
    ? t('drive.deleteManyBody', { count: items.length })
    : only.kind === 'file'
      ? t('files.deleteBody', { name: only.name })
      : t('folders.deleteBody', { name: only.name });
  return (
    <ConfirmDialog
      title={title}
      body={body}
      confirmLabel={t('files.delete')}
      pending={remove.isPending}
      error={remove.error}
      onConfirm={() => remove.mutate(items, { onSuccess: onClose })}
      onClose={onClose}
    />
  );
}
