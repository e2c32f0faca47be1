// The one module that knows the names of the content tables: 256 shards `file_00` … `file_ff`, chosen
// by the last two hex digits of the SHA-1 (DESIGN.md, "Data model"; seed stage 2, 分表).
import {
  DataTypes,
  type ModelAttributes,
  type ModelStatic,
  type Model,
  type Sequelize,
} from 'sequelize';

export const SHARD_COUNT = 256;

export const shardSuffixes: readonly string[] = Array.from({ length: SHARD_COUNT }, (_, i) =>
  i.toString(16).padStart(2, '0'),
);

export const shardTableNames: readonly string[] = shardSuffixes.map((suffix) => `file_${suffix}`);

export function shardTableFor(sha1: string): string {
  return `file_${sha1.slice(-2).toLowerCase()}`;
}

/** One distinct content: its bytes are stored once however many users hold it. */
export interface ContentAttributes {
  sha1: string;
  size: number;
  driver: string;
  location: string;
  state: 'staged' | 'stored';
  refCount: number;
}
export type ContentRow = Model<ContentAttributes, ContentAttributes> & ContentAttributes;

export const contentColumns = {
  sha1: { type: DataTypes.CHAR(40), primaryKey: true, allowNull: false },
  size: { type: DataTypes.BIGINT, allowNull: false },
  driver: { type: DataTypes.STRING(16), allowNull: false },
  location: { type: DataTypes.STRING(512), allowNull: false },
  state: { type: DataTypes.STRING(16), allowNull: false },
  refCount: { type: DataTypes.INTEGER, allowNull: false, field: 'ref_count' },
} satisfies ModelAttributes;

export class ShardRouter {
  private readonly models = new Map<string, ModelStatic<ContentRow>>();

  constructor(private readonly sequelize: Sequelize) {}

  /** The model of the shard that holds (or will hold) this content. */
  contentModel(sha1: string): ModelStatic<ContentRow> {
    const table = shardTableFor(sha1);
    let model = this.models.get(table);
    if (!model) {
      model = this.sequelize.define<ContentRow>(table, contentColumns, {
        tableName: table,
        underscored: true,
      });
      this.models.set(table, model);
    }
    return model;
  }
}
