// Metadata at scale (issue 5): on MariaDB, 1,000,000 content rows and 1,000,000 `user_files`
// rows, bulk-generated with INSERT … SELECT from MariaDB's sequence engine. Measures p50/p99 of
// the instant-upload lookup by SHA-1, the first page of a user's list, a deep page through the
// cursor and an insert — the content table as the app has it (256 shards `file_XX`) against one
// single table holding the same rows, timed alternately in the same run. The statements are those
// Sequelize issues for Contents.find, FileService.list and the inserts (from its query log), sent
// the way it sends them: SELECTs with their values inlined, INSERTs as prepared statements.
//
// Needs MariaDB at BENCH_MYSQL_URL (default mysql://root@127.0.0.1:3306, which may create a
// database) and the compiled API (`npm run build -w apps/api`): its migrations create the schema.
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import mysql from 'mysql2/promise';
import { startApi } from '../lib/api-server.mjs';
import { printTable, verdict } from '../lib/measure.mjs';
import { withScratchDir } from '../lib/temp-files.mjs';

const SERVER = process.env.BENCH_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
const DATABASE = 'fs_bench_metadata';
const SHARDS = 256;
const CONTENT_ROWS = 1_000_000;
const FILE_ROWS = 1_000_000;
const HEAVY_USER = 'heavy'; // every 5th user file: 200,000 files, the worst list to page through
const OTHER_USERS = 8000; // the other 800,000 files, 100 each
const SAMPLES = 2000;
const TARGETS = { lookupP99: 5, firstPageP99: 20 };

const hex = (i) => i.toString(16).padStart(2, '0');
const suffixes = Array.from({ length: SHARDS }, (_, i) => hex(i));
const rowsInShard = (i) => Math.floor(CONTENT_ROWS / SHARDS) + (i < CONTENT_ROWS % SHARDS ? 1 : 0);
/** The n-th generated content of a shard, as the SQL below makes it. */
const contentSha1 = (n, suffix) =>
  createHash('sha1').update(`${n}-${suffix}`).digest('hex').slice(0, 38) + suffix;
const pick = (items) => items[Math.floor(Math.random() * items.length)];

const CONTENT_COLUMNS =
  '`sha1`, `size`, `driver`, `location`, `state`, `ref_count` AS `refCount`, `queued_at` AS `queuedAt`, `created_at` AS `createdAt`, `updated_at` AS `updatedAt`';
const FILE_COLUMNS =
  '`seq`, `id`, `user_id` AS `userId`, `name`, `sha1`, `size`, `alive`, `deleted_at` AS `deletedAt`, `created_at` AS `createdAt`, `updated_at` AS `updatedAt`';
const PAGE = 50;

const lookupSql = (table) =>
  `SELECT ${CONTENT_COLUMNS} FROM \`${table}\` AS \`${table}\` WHERE \`${table}\`.\`sha1\` = ?`;
const listSql = (cursor) =>
  `SELECT ${FILE_COLUMNS} FROM \`user_files\` AS \`UserFile\` FORCE INDEX (\`user_files_listing\`) WHERE ((\`UserFile\`.\`alive\` = 1 AND \`UserFile\`.\`user_id\` = ?)${cursor ? ' AND `UserFile`.`seq` < ?' : ''}) ORDER BY \`UserFile\`.\`seq\` DESC LIMIT ${PAGE + 1}`;
const insertContentSql = (table) =>
  `INSERT INTO \`${table}\` (\`sha1\`,\`size\`,\`driver\`,\`location\`,\`state\`,\`ref_count\`,\`queued_at\`,\`created_at\`,\`updated_at\`) VALUES (?,?,?,?,?,?,?,?,?)`;
const insertFileSql =
  'INSERT INTO `user_files` (`seq`,`id`,`user_id`,`name`,`sha1`,`size`,`alive`,`deleted_at`,`created_at`,`updated_at`) VALUES (DEFAULT,?,?,?,?,?,?,?,?,?)';

/** The schema exactly as the app creates it: its own migrations, run by starting it once. */
async function createSchema(admin, dataDir) {
  await admin.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
  await admin.query(`CREATE DATABASE \`${DATABASE}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  const api = await startApi({ dataDir, env: { DATABASE_URL: `${SERVER}/${DATABASE}` } });
  await api.stop();
}

async function generate(db) {
  const started = performance.now();
  for (const [i, suffix] of suffixes.entries()) {
    await db.query(
      `INSERT INTO file_${suffix} (sha1, size, driver, location, state, ref_count, queued_at, created_at, updated_at)
       SELECT CONCAT(LEFT(SHA1(CONCAT(seq, '-', ?)), 38), ?), seq * 4096, 'local', CONCAT('blobs/', seq),
              'stored', 1, NULL, NOW(3), NOW(3)
       FROM seq_1_to_${rowsInShard(i)}`,
      [suffix, suffix],
    );
  }
  // The single-table layout: the same rows, the same columns and indexes, in one table.
  await db.query('CREATE TABLE file_single LIKE file_00');
  for (const suffix of suffixes)
    await db.query(`INSERT INTO file_single SELECT * FROM file_${suffix}`);
  const step = 200_000;
  for (let from = 1; from <= FILE_ROWS; from += step) {
    await db.query(
      `INSERT INTO user_files (id, user_id, name, sha1, size, alive, deleted_at, created_at, updated_at)
       SELECT CONCAT('f', seq), IF(seq % 5 = 0, ?, CONCAT('u', seq % ?)), CONCAT('file-', seq, '.bin'),
              SHA1(seq), 4096, 1, NULL, NOW(3), NOW(3)
       FROM seq_${from}_to_${Math.min(from + step - 1, FILE_ROWS)}`,
      [HEAVY_USER, OTHER_USERS],
    );
  }
  await db.query('ANALYZE TABLE user_files, file_single');
  return (performance.now() - started) / 1000;
}

const percentile = (sorted, p) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];

/** Times each named query `samples` times, alternating between them; p50/p99 in ms. */
async function timeAlternately(queries, samples) {
  const times = Object.fromEntries(Object.keys(queries).map((name) => [name, []]));
  for (let i = 0; i < samples; i++) {
    for (const [name, run] of Object.entries(queries)) {
      const start = performance.now();
      await run(i);
      times[name].push(performance.now() - start);
    }
  }
  return Object.fromEntries(
    Object.entries(times).map(([name, list]) => {
      const sorted = list.sort((a, b) => a - b);
      return [name, { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) }];
    }),
  );
}

async function measure(db) {
  const someContent = () => {
    const i = Math.floor(Math.random() * SHARDS);
    return contentSha1(1 + Math.floor(Math.random() * rowsInShard(i)), hex(i));
  };
  const lookup = (table) => () => {
    const sha1 = someContent();
    return db.query(lookupSql(table === 'shard' ? `file_${sha1.slice(-2)}` : table), [sha1]);
  };
  // Warm-up (not timed): both layouts get the same chance to have their pages in the buffer pool.
  await timeAlternately({ shard: lookup('shard'), single: lookup('file_single') }, 500);
  const lookups = await timeAlternately(
    { shard: lookup('shard'), single: lookup('file_single') },
    SAMPLES,
  );

  // The heavy user's 10,000 oldest entries: cursors 190,000 entries deep.
  const [deep] = await db.query(
    'SELECT seq FROM user_files WHERE user_id = ? AND alive = 1 ORDER BY seq ASC LIMIT 10000',
    [HEAVY_USER],
  );
  const pages = await timeAlternately(
    {
      firstHeavy: () => db.query(listSql(false), [HEAVY_USER]),
      firstOther: () =>
        db.query(listSql(false), [`u${Math.floor(Math.random() * OTHER_USERS) || 1}`]),
      deepHeavy: () => db.query(listSql(true), [HEAVY_USER, Number(pick(deep).seq)]),
    },
    SAMPLES,
  );
  const [plan] = await db.query(`EXPLAIN ${listSql(true)}`, [HEAVY_USER, Number(deep[0].seq)]);
  console.log(`deep page plan: ${JSON.stringify(plan)}`);
  // What the cursor avoids: the same deep page by OFFSET (fewer samples: it is slow).
  const offsetSql = `${listSql(false)} OFFSET 190000`;
  const offset = await timeAlternately({ deepOffset: () => db.query(offsetSql, [HEAVY_USER]) }, 50);

  const now = new Date();
  const newContent = (table) => (i) => {
    const sha1 = createHash('sha1').update(`new-${table}-${i}-${Math.random()}`).digest('hex');
    const target = table === 'shard' ? `file_${sha1.slice(-2)}` : table;
    return db.execute(insertContentSql(target), [
      sha1,
      4096,
      'local',
      `blobs/${sha1}`,
      'stored',
      1,
      null,
      now,
      now,
    ]);
  };
  const inserts = await timeAlternately(
    {
      shard: newContent('shard'),
      single: newContent('file_single'),
      userFile: (i) =>
        db.execute(insertFileSql, [
          `n${i}`,
          'u1',
          `new-${i}.bin`,
          someContent(),
          4096,
          1,
          null,
          now,
          now,
        ]),
    },
    500,
  );
  return { lookups, pages, offset, inserts };
}

const ms = (value) => `${value.toFixed(2)} ms`;

export async function runMetadataBench() {
  const admin = await mysql.createConnection(SERVER);
  try {
    return await withScratchDir('metadata', async (dataDir) => {
      await createSchema(admin, dataDir);
      const db = await mysql.createConnection(`${SERVER}/${DATABASE}`);
      try {
        const generateSeconds = await generate(db);
        const [[{ bufferPool }]] = await db.query('SELECT @@innodb_buffer_pool_size AS bufferPool');
        const { lookups, pages, offset, inserts } = await measure(db);
        printTable(
          `Metadata on MariaDB: ${CONTENT_ROWS.toLocaleString('en')} content rows, ${FILE_ROWS.toLocaleString('en')} user_files rows (generated in ${generateSeconds.toFixed(0)} s; buffer pool ${bufferPool / 2 ** 20} MiB), p50 / p99 of ${SAMPLES} samples`,
          [
            [
              'instant-upload lookup by SHA-1, 256 shards',
              `${ms(lookups.shard.p50)} / ${ms(lookups.shard.p99)}`,
              `p99 < ${TARGETS.lookupP99} ms: ${verdict(lookups.shard.p99 < TARGETS.lookupP99)}`,
            ],
            [
              'instant-upload lookup by SHA-1, one table',
              `${ms(lookups.single.p50)} / ${ms(lookups.single.p99)}`,
            ],
            [
              'first page, user with 200,000 files',
              `${ms(pages.firstHeavy.p50)} / ${ms(pages.firstHeavy.p99)}`,
              `p99 < ${TARGETS.firstPageP99} ms: ${verdict(pages.firstHeavy.p99 < TARGETS.firstPageP99)}`,
            ],
            [
              'first page, user with 100 files',
              `${ms(pages.firstOther.p50)} / ${ms(pages.firstOther.p99)}`,
            ],
            [
              'page 190,000 entries deep, by cursor',
              `${ms(pages.deepHeavy.p50)} / ${ms(pages.deepHeavy.p99)}`,
              `no slower than the first page: ${verdict(pages.deepHeavy.p99 <= pages.firstHeavy.p99 * 1.5)}`,
            ],
            [
              'the same page by OFFSET (not used; 50 samples)',
              `${ms(offset.deepOffset.p50)} / ${ms(offset.deepOffset.p99)}`,
            ],
            [
              'insert content row, 256 shards',
              `${ms(inserts.shard.p50)} / ${ms(inserts.shard.p99)}`,
            ],
            [
              'insert content row, one table',
              `${ms(inserts.single.p50)} / ${ms(inserts.single.p99)}`,
            ],
            ['insert user_files row', `${ms(inserts.userFile.p50)} / ${ms(inserts.userFile.p99)}`],
          ],
        );
        return { generateSeconds, lookups, pages, offset, inserts };
      } finally {
        await db.end();
        await admin.query(`DROP DATABASE IF EXISTS \`${DATABASE}\``);
      }
    });
  } finally {
    await admin.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await runMetadataBench();
}
