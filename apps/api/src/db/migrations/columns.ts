import { DataTypes } from 'sequelize';

/** created_at / updated_at with millisecond precision, as every table carries them. */
export const timestamps = {
  created_at: { type: DataTypes.DATE(3), allowNull: false },
  updated_at: { type: DataTypes.DATE(3), allowNull: false },
};

/** MySQL: utf8mb4 everywhere; binary collation so names compare byte for byte, as on a disk. */
export const tableOptions = { charset: 'utf8mb4', collate: 'utf8mb4_bin' };
