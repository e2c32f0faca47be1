// One folder in the table: opens on click, takes dragged rows dropped onto it, can itself be
// dragged, renamed and moved to the trash (with everything in it).
import type { Folder } from '@filestore/contract';
import { useState, type DragEvent } from 'react';
import { Link, useLocation } from 'react-router';
import { useUpdateFolder } from '../api/update-folder.ts';
import { folderPath } from '../navigation/folder-link.ts';
import { useItemDrop, type MoveHandler } from '../hooks/use-item-drop.ts';
import { FolderIcon } from './folder-icon.tsx';
import { RenameForm } from './rename-form.tsx';
import { DateCell, RenameDeleteButtons, SelectCell } from './row-cells.tsx';

interface FolderRowProps {
  folder: Folder;
  selected: boolean;
  onToggle: () => void;
  onDragStart: (event: DragEvent) => void;
  onMove: MoveHandler;
  onDelete: (folder: Folder) => void;
}

export function FolderRow({
  folder,
  selected,
  onToggle,
  onDragStart,
  onMove,
  onDelete,
}: FolderRowProps) {
  const { search } = useLocation();
  const [renaming, setRenaming] = useState(false);
  const rename = useUpdateFolder();
  const { over, dropProps } = useItemDrop(folder.id, onMove);
  const classes = [selected && 'is-selected', over && 'is-drop-target'].filter(Boolean).join(' ');
  return (
    <tr
      data-testid="folder-row"
      data-folder-id={folder.id}
      className={classes || undefined}
      draggable={!renaming}
      onDragStart={onDragStart}
      {...dropProps}
    >
      <SelectCell name={folder.name} checked={selected} onToggle={onToggle} />
      <td className="file-name">
        {renaming ? (
          <RenameForm
            name={folder.name}
            pending={rename.isPending}
            error={rename.error}
            onSave={(name) =>
              rename.mutate({ id: folder.id, name }, { onSuccess: () => setRenaming(false) })
            }
            onDone={() => setRenaming(false)}
          />
        ) : (
          <Link
            className="file-name-text folder-link"
            to={{ pathname: folderPath(folder.id), search }}
          >
            <FolderIcon />
            {folder.name}
          </Link>
        )}
      </td>
      <td className="file-size muted">—</td>
      <DateCell iso={folder.updatedAt} />
      <td className="file-actions">
        <RenameDeleteButtons
          renaming={renaming}
          onRename={() => setRenaming(true)}
          onDelete={() => onDelete(folder)}
        />
      </td>
    </tr>
  );
}
