// Issue 13 (trash): a delete moves a file, or a folder with everything inside, to the trash. The
// item is one `trash_items` row; its files and folders stay where they were, no longer alive and
// tagged with the item's id (`trash_id`), so a restore or a purge finds them in one query. Trashed
// files keep their content reference (and count toward the quota) until purged.
// `housekeeping_leases`: the lease that lets one process at a time run the housekeeping job.
import { DataTypes } from 'sequelize';
import type { Migration } from '../migrate.ts';
import { tableOptions } from './columns.ts';

const trashId = { type: DataTypes.STRING(32), allowNull: true };

export const up: Migration = async ({ context: { qi } }) => {
  // Entries deleted before the trash existed already gave their reference back: nothing to keep.
  await qi.bulkDelete('user_files', { alive: null });
  await qi.addColumn('user_files', 'trash_id', trashId);
  await qi.addIndex('user_files', ['trash_id'], { name: 'user_files_trash' });

  // As in user_files: 1 while alive, NULL in the trash, so a trashed name never blocks a live one.
  await qi.addColumn('folders', 'alive', {
    type: DataTypes.TINYINT,
    allowNull: true,
    defaultValue: 1,
  });
  await qi.addColumn('folders', 'trash_id', trashId);
  await qi.removeIndex('folders', 'folders_sibling_name');
  await qi.addIndex('folders', ['user_id', 'parent_id', 'name', 'alive'], {
    unique: true,
    name: 'folders_sibling_name',
  });
  await qi.addIndex('folders', ['trash_id'], { name: 'folders_trash' });

  await qi.createTable(
    'trash_items',
    {
      // The id of the file or folder that was deleted.
      id: { type: DataTypes.STRING(32), primaryKey: true },
      user_id: { type: DataTypes.STRING(32), allowNull: false },
      kind: { type: DataTypes.STRING(8), allowNull: false },
      name: { type: DataTypes.STRING(255), allowNull: false },
      size: { type: DataTypes.BIGINT, allowNull: false },
      original_path: { type: DataTypes.TEXT, allowNull: false },
      deleted_at: { type: DataTypes.DATE(3), allowNull: false },
      // Set while a purge holds the item (renewed as it works); a lapsed one is taken over.
      purging_until: { type: DataTypes.DATE(3), allowNull: true },
    },
    tableOptions,
  );
  await qi.addIndex('trash_items', ['user_id', 'deleted_at', 'id'], {
    name: 'trash_items_listing',
  });
  await qi.addIndex('trash_items', ['deleted_at'], { name: 'trash_items_age' });

  await qi.createTable(
    'housekeeping_leases',
    {
      name: { type: DataTypes.STRING(64), primaryKey: true },
      holder: { type: DataTypes.STRING(32), allowNull: true },
      // Nobody may start the job before this: a holder's lease, then the next run's due time.
      locked_until: { type: DataTypes.DATE(3), allowNull: false },
    },
    tableOptions,
  );
  await qi.bulkInsert('housekeeping_leases', [
    { name: 'housekeeping', holder: null, locked_until: new Date(0) },
  ]);
};

export const down: Migration = async ({ context: { qi } }) => {
  await qi.dropTable('housekeeping_leases');
  await qi.dropTable('trash_items');
  await qi.removeIndex('folders', 'folders_trash');
  // Trashed folders and entries go with the trash (their references are not given back here).
  await qi.bulkDelete('folders', { alive: null });
  await qi.removeIndex('folders', 'folders_sibling_name');
  await qi.addIndex('folders', ['user_id', 'parent_id', 'name'], {
    unique: true,
    name: 'folders_sibling_name',
  });
  await qi.removeColumn('folders', 'trash_id');
  await qi.removeColumn('folders', 'alive');
  await qi.bulkDelete('user_files', { alive: null });
  await qi.removeIndex('user_files', 'user_files_trash');
  await qi.removeColumn('user_files', 'trash_id');
};
