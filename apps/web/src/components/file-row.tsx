// One file in the table: checkbox, name (opens the viewer when the browser can show the file),
// size, date, and its actions. The row can be dragged onto a folder or a breadcrumb.
import type { FileItem } from '@filestore/contract';
import { useState, type DragEvent } from 'react';
import { fileContentUrl } from '../api/file-content.ts';
import { useUpdateFile } from '../api/update-file.ts';
import { previewKind } from '../drive/preview-kind.ts';
import { formatBytes } from '../format/format-bytes.ts';
import { useI18n } from '../i18n/use-i18n.ts';
import { RenameForm } from './rename-form.tsx';
import { DateCell, RenameDeleteButtons, SelectCell } from './row-cells.tsx';

interface FileRowProps {
  file: FileItem;
  selected: boolean;
  onToggle: () => void;
  onDragStart: (event: DragEvent) => void;
  onOpen: (file: FileItem) => void;
  onShare: (file: FileItem) => void;
  onVersions: (file: FileItem) => void;
  onDelete: (file: FileItem) => void;
}

export function FileRow({ file, selected, onToggle, onDragStart, ...actions }: FileRowProps) {
  const { t } = useI18n();
  const [renaming, setRenaming] = useState(false);
  const rename = useUpdateFile();
  const viewable = previewKind(file.name) !== null;
  return (
    <tr
      data-testid="file-row"
      data-file-id={file.id}
      className={selected ? 'is-selected' : undefined}
      draggable={!renaming}
      onDragStart={onDragStart}
    >
      <SelectCell name={file.name} checked={selected} onToggle={onToggle} />
      <td className="file-name">
        {renaming ? (
          <RenameForm
            name={file.name}
            pending={rename.isPending}
            error={rename.error}
            onSave={(name) =>
              rename.mutate({ id: file.id, name }, { onSuccess: () => setRenaming(false) })
            }
            onDone={() => setRenaming(false)}
          />
        ) : viewable ? (
          <button
            type="button"
            className="file-name-text file-open"
            title={t('files.open', { name: file.name })}
            onClick={() => actions.onOpen(file)}
          >
            {file.name}
          </button>
        ) : (
          <span className="file-name-text" title={file.name}>
            {file.name}
          </span>
        )}
      </td>
      <td className="file-size">{formatBytes(file.size)}</td>
      <DateCell iso={file.updatedAt} />
      <td className="file-actions">
        <a className="button button-small" href={fileContentUrl(file.id)} download={file.name}>
          {t('files.download')}
        </a>
        <button type="button" className="button button-small" onClick={() => actions.onShare(file)}>
          {t('files.share')}
        </button>
        <button
          type="button"
          className="button button-small"
          onClick={() => actions.onVersions(file)}
        >
          {t('versions.open')}
        </button>
        <RenameDeleteButtons
          renaming={renaming}
          onRename={() => setRenaming(true)}
          onDelete={() => actions.onDelete(file)}
        />
      </td>
    </tr>
  );
}
