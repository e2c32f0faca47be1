import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.ts';
import { tableOptions, timestamps } from './columns.ts';

// The root of a drive is '' rather than NULL in `folder_id` / `parent_id`: NULLs never collide in a
// unique index, and a name must be unique in the root as much as in any folder.
const folderRef = { type: DataTypes.STRING(32), allowNull: false, defaultValue: '' };

export const up: Migration = async ({ context: { qi } }) => {
  await qi.createTable(
    'folders',
    {
      id: { type: DataTypes.STRING(32), primaryKey: true },
      user_id: { type: DataTypes.STRING(32), allowNull: false },
      parent_id: folderRef,
      name: { type: DataTypes.STRING(255), allowNull: false },
      ...timestamps,
    },
    tableOptions,
  );
  await qi.addIndex('folders', ['user_id', 'parent_id', 'name'], {
    unique: true,
    name: 'folders_sibling_name',
  });

  await qi.addColumn('user_files', 'folder_id', folderRef);
  await qi.removeIndex('user_files', 'user_files_live_name');
  await qi.addIndex('user_files', ['user_id', 'folder_id', 'name', 'alive'], {
    unique: true,
    name: 'user_files_live_name',
  });
  await qi.addIndex('user_files', ['user_id', 'folder_id', 'alive', 'seq'], {
    name: 'user_files_folder_listing',
  });
  await qi.addIndex('user_files', ['user_id', 'folder_id', 'alive', 'size', 'seq'], {
    name: 'user_files_by_size',
  });
  await qi.addColumn('uploads', 'folder_id', folderRef);

  await qi.createTable(
    'shares',
    {
      token: { type: DataTypes.STRING(64), primaryKey: true },
      user_id: { type: DataTypes.STRING(32), allowNull: false },
      user_file_id: { type: DataTypes.STRING(32), allowNull: false },
      code_hash: { type: DataTypes.STRING(64), allowNull: true },
      expires_at: { type: DataTypes.DATE(3), allowNull: true },
      max_downloads: { type: DataTypes.INTEGER, allowNull: true },
      downloads: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      views: { type: DataTypes.INTEGER, allowNull: false, defaultValue: 0 },
      revoked: { type: DataTypes.BOOLEAN, allowNull: false, defaultValue: false },
      ...timestamps,
    },
    tableOptions,
  );
  await qi.addIndex('shares', ['user_id', 'revoked', 'created_at'], { name: 'shares_listing' });
};

export const down: Migration = async ({ context: { qi } }) => {
  await qi.dropTable('shares');
  await qi.removeColumn('uploads', 'folder_id');
  for (const index of ['user_files_by_size', 'user_files_folder_listing', 'user_files_live_name'])
    await qi.removeIndex('user_files', index);
  await qi.removeColumn('user_files', 'folder_id');
  await qi.addIndex('user_files', ['user_id', 'name', 'alive'], {
    unique: true,
    name: 'user_files_live_name',
  });
  await qi.dropTable('folders');
};
