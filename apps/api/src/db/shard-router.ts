// The one module that knows where a content row lives: 256 tables `file_00` … `file_ff`, chosen by
// the last two hex digits of the SHA-1 (分表), spread over the FILE_DB_URLS databases when there are
// several: `file_XX` lives in database parseInt(XX, 16) mod N (分库). Without FILE_DB_URLS they all
// live in the main database. (DESIGN.md, "Data model"; seed stage 2.)
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
  state: ContentState;
  refCount: number;
  /** When the broker confirmed this row's pending job; null while it still has to be published. */
  queuedAt: Date | null;
}

/**
 * `staged`: the bytes wait on local disk for the transfer to the object store; `stored`: they are in
 * their final store (`driver`, `location`); `deleting`: no reference is left and the object is
 * being deleted from its store.
 */
export type ContentState = 'staged' | 'stored' | 'deleting';
export type ContentRow = Model<ContentAttributes, ContentAttributes> & ContentAttributes;

export const contentColumns = {
  sha1: { type: DataTypes.CHAR(40), primaryKey: true, allowNull: false },
  size: { type: DataTypes.BIGINT, allowNull: false },
  driver: { type: DataTypes.STRING(16), allowNull: false },
  location: { type: DataTypes.STRING(512), allowNull: false },
  state: { type: DataTypes.STRING(16), allowNull: false },
  refCount: { type: DataTypes.INTEGER, allowNull: false, field: 'ref_count' },
  queuedAt: { type: DataTypes.DATE(3), allowNull: true, field: 'queued_at' },
} satisfies ModelAttributes;

export class ShardRouter {
  private readonly models = new Map<string, ModelStatic<ContentRow>>();

  /** `databases[i]` holds the tables whose number mod databases.length is i. */
  constructor(private readonly databases: readonly Sequelize[]) {
    if (databases.length === 0) throw new Error('the shard router needs a database');
  }

  /** The database that holds (or will hold) this content's row (for its own transactions). */
  sequelizeFor(sha1: string): Sequelize {
    return this.databaseOfTable(shardTableFor(sha1));
  }

  /** Every shard's model, for scans across all contents. */
  allContentModels(): ModelStatic<ContentRow>[] {
    return shardSuffixes.map((suffix) => this.contentModel(`${'0'.repeat(38)}${suffix}`));
  }

  /** The model of the shard that holds (or will hold) this content, bound to its database. */
  contentModel(sha1: string): ModelStatic<ContentRow> {
    const table = shardTableFor(sha1);
    let model = this.models.get(table);
    if (!model) {
      model = this.databaseOfTable(table).define<ContentRow>(table, contentColumns, {
        tableName: table,
        underscored: true,
      });
      this.models.set(table, model);
    }
    return model;
  }

  /** The content tables that live in this database (none when it holds no shard). */
  tablesIn(database: Sequelize): string[] {
    return shardTableNames.filter((table) => this.databaseOfTable(table) === database);
  }

  private databaseOfTable(table: string): Sequelize {
    return this.databases[parseInt(table.slice(-2), 16) % this.databases.length]!;
  }
}
