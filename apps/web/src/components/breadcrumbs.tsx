// Where the open folder is: "My files / Photos / 2026". Every crumb is a link and a place to drop
// dragged rows onto, so a file can move up any number of levels in one drag.
import type { Folder } from '@filestore/contract';
import { Link, useLocation } from 'react-router';
import { folderPath } from '../navigation/folder-link.ts';
import { useItemDrop, type MoveHandler } from '../hooks/use-item-drop.ts';
import { useI18n } from '../i18n/use-i18n.ts';

function Crumb(props: {
  folderId: string | null;
  name: string;
  current: boolean;
  onMove: MoveHandler;
}) {
  const { search } = useLocation();
  const { over, dropProps } = useItemDrop(props.folderId, props.onMove);
  return (
    <li className={over ? 'crumb is-drop-target' : 'crumb'} {...dropProps}>
      {props.current ? (
        <span aria-current="page">{props.name}</span>
      ) : (
        <Link to={{ pathname: folderPath(props.folderId), search }}>{props.name}</Link>
      )}
    </li>
  );
}

export function Breadcrumbs({ path, onMove }: { path: Folder[]; onMove: MoveHandler }) {
  const { t } = useI18n();
  return (
    <nav className="breadcrumbs" aria-label={t('folders.path')}>
      <ol>
        <Crumb
          folderId={null}
          name={t('drive.title')}
          current={path.length === 0}
          onMove={onMove}
        />
        {path.map((folder, index) => (
          <Crumb
            key={folder.id}
            folderId={folder.id}
            name={folder.name}
            current={index === path.length - 1}
            onMove={onMove}
          />
        ))}
      </ol>
    </nav>
  );
}
