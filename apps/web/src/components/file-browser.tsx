// One folder's contents (or a search's matches across folders): folders first, then files, with
// sortable columns, checkboxes and what can be done with the selection, "load more" pages, and
// the empty and error states. Dialogs (viewer, share, versions, move) open from here; deleting
// moves to the trash at once (the toast offers an Undo).
import type { FileItem, Folder } from '@filestore/contract';
import { useState, type DragEvent } from 'react';
import { useFiles } from '../api/get-files.ts';
import { useFolderChildren } from '../api/get-folders.ts';
import {
  DRAG_TYPE,
  dragRefs,
  encodeDrag,
  itemKey,
  toggleAll,
  toggleKey,
  type ItemKey,
  type ItemRef,
  type NamedRef,
} from '../drive/items.ts';
import { sortFolders, type Sort } from '../drive/sort.ts';
import type { MoveHandler } from '../hooks/use-item-drop.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import { FileRow } from './file-row.tsx';
import { FileViewer } from './file-viewer.tsx';
import { FolderRow } from './folder-row.tsx';
import { MoveDialog } from './move-dialog.tsx';
import { SelectionBar } from './selection-bar.tsx';
import { ShareDialog } from './share-dialog.tsx';
import { SortHeader } from './sort-header.tsx';
import { VersionsDialog } from './versions-dialog.tsx';
import { LoadMore } from './load-more.tsx';
import { LoadFailed } from './load-failed.tsx';

interface FileBrowserProps {
  folderId: string | null;
  q: string;
  sort: Sort;
  onSort: (sort: Sort) => void;
  onMove: MoveHandler;
  onTrash: (items: NamedRef[]) => void;
}

type Opened =
  { dialog: 'view' | 'share' | 'versions'; file: FileItem } | { dialog: 'move'; items: NamedRef[] };

export function FileBrowser({ folderId, q, sort, onSort, onMove, onTrash }: FileBrowserProps) {
  const { t, errorText } = useI18n();
  const files = useFiles({ folderId, q, ...sort });
  const children = useFolderChildren(folderId);
  const [selected, setSelected] = useState<ReadonlySet<ItemKey>>(new Set());
  const [opened, setOpened] = useState<Opened | null>(null);

  if (files.isError || children.isError) {
    return (
      <LoadFailed
        message={t('drive.loadFailed', { reason: errorText(files.error ?? children.error) })}
        onRetry={() => void Promise.all([files.refetch(), children.refetch()])}
      />
    );
  }
  if (files.isPending || children.isPending) {
    return <p className="placeholder muted">{t('app.loading')}</p>;
  }

  // A search lists matching files from every folder; folders are for browsing.
  const folders: Folder[] = q ? [] : sortFolders(children.data, sort);
  const items = files.data.pages.flatMap((page) => page.items);
  const rows: NamedRef[] = [
    ...folders.map((f) => ({ kind: 'folder' as const, id: f.id, name: f.name })),
    ...items.map((f) => ({ kind: 'file' as const, id: f.id, name: f.name })),
  ];
  // Rows moved or deleted elsewhere drop out of the selection by themselves.
  const picked = rows.filter((row) => selected.has(itemKey(row)));
  const pickedKeys = new Set(picked.map(itemKey));

  if (rows.length === 0) return <EmptyState q={q} inFolder={folderId !== null} />;

  const rowProps = (ref: ItemRef) => ({
    selected: pickedKeys.has(itemKey(ref)),
    onToggle: () => setSelected(toggleKey(pickedKeys, itemKey(ref))),
    onDragStart: (event: DragEvent) => {
      event.dataTransfer.setData(DRAG_TYPE, encodeDrag(dragRefs(ref, pickedKeys)));
      event.dataTransfer.effectAllowed = 'move';
    },
  });
  const allKeys = rows.map(itemKey);
  const allPicked = picked.length === rows.length;

  return (
    <>
      {picked.length > 0 && (
        <SelectionBar
          items={picked}
          onMove={() => setOpened({ dialog: 'move', items: picked })}
          onDelete={() => onTrash(picked)}
          onClear={() => setSelected(new Set())}
        />
      )}
      <table className="file-table">
        <thead>
          <tr>
            <th scope="col" className="file-select">
              <input
                type="checkbox"
                aria-label={t('drive.selectAll')}
                checked={allPicked}
                ref={(box) => {
                  if (box) box.indeterminate = picked.length > 0 && !allPicked;
                }}
                onChange={() => setSelected(toggleAll(pickedKeys, allKeys))}
              />
            </th>
            <SortHeader column="name" label={t('files.name')} sort={sort} onSort={onSort} />
            <SortHeader
              column="size"
              label={t('files.size')}
              sort={sort}
              onSort={onSort}
              className="file-size"
            />
            <SortHeader
              column="date"
              label={t('files.modified')}
              sort={sort}
              onSort={onSort}
              className="file-date"
            />
            <th scope="col" className="file-actions">
              <span className="visually-hidden">{t('files.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {folders.map((folder) => (
            <FolderRow
              key={folder.id}
              folder={folder}
              {...rowProps({ kind: 'folder', id: folder.id })}
              onMove={onMove}
              onDelete={(f) => onTrash([{ kind: 'folder', id: f.id, name: f.name }])}
            />
          ))}
          {items.map((file) => (
            <FileRow
              key={file.id}
              file={file}
              {...rowProps({ kind: 'file', id: file.id })}
              onOpen={(f) => setOpened({ dialog: 'view', file: f })}
              onShare={(f) => setOpened({ dialog: 'share', file: f })}
              onVersions={(f) => setOpened({ dialog: 'versions', file: f })}
              onDelete={(f) => onTrash([{ kind: 'file', id: f.id, name: f.name }])}
            />
          ))}
        </tbody>
      </table>
      <LoadMore list={files} />
      {opened?.dialog === 'view' && (
        <FileViewer file={opened.file} onClose={() => setOpened(null)} />
      )}
      {opened?.dialog === 'share' && (
        <ShareDialog file={opened.file} onClose={() => setOpened(null)} />
      )}
      {opened?.dialog === 'versions' && (
        <VersionsDialog file={opened.file} onClose={() => setOpened(null)} />
      )}
      {opened?.dialog === 'move' && (
        <MoveDialog
          items={opened.items}
          from={folderId}
          onClose={() => setOpened(null)}
          onMoved={() => setSelected(new Set())}
        />
      )}
    </>
  );
}

function EmptyState({ q, inFolder }: { q: string; inFolder: boolean }) {
  const { t } = useI18n();
  return (
    <div className="placeholder empty-state" data-testid="empty-state">
      <svg viewBox="0 0 64 64" width="64" height="64" aria-hidden="true">
        <path d="M8 20a4 4 0 0 1 4-4h14l6 6h20a4 4 0 0 1 4 4v22a4 4 0 0 1-4 4H12a4 4 0 0 1-4-4z" />
      </svg>
      {q ? (
        <p className="empty-title">{t('drive.noMatches', { q })}</p>
      ) : (
        <>
          <p className="empty-title">{inFolder ? t('folders.empty') : t('drive.empty')}</p>
          <p className="muted">{t('drive.emptyHint')}</p>
        </>
      )}
    </div>
  );
}
