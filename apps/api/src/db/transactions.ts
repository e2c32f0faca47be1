// Transactions that retry when the database picks them as a deadlock victim, with undo steps for
// work outside the database (a file moved aside) that must be reverted when the transaction is not
// committed.
import { Transaction, type Sequelize } from 'sequelize';

const RETRYABLE = /ER_LOCK_DEADLOCK|Deadlock found|ER_LOCK_WAIT_TIMEOUT|SQLITE_BUSY/;
const ATTEMPTS = 5;

/** Registers a step that runs if the transaction rolls back. */
export type OnRollback = (undo: () => Promise<void>) => void;

// SQLite has one writer at a time, and each waiting writer blocks one of libuv's four pool threads
// (which file I/O needs too). Queuing this process's write transactions in JavaScript instead keeps
// the pool free; MySQL needs no such queue.
const sqliteQueues = new WeakMap<Sequelize, Promise<unknown>>();

function queued<T>(sequelize: Sequelize, run: () => Promise<T>): Promise<T> {
  if (sequelize.getDialect() !== 'sqlite') return run();
  const previous = sqliteQueues.get(sequelize) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(run);
  sqliteQueues.set(sequelize, next);
  return next;
}

export async function inTransaction<T>(
  sequelize: Sequelize,
  work: (transaction: Transaction, onRollback: OnRollback) => Promise<T>,
): Promise<T> {
  return queued(sequelize, () => transactionWithRetry(sequelize, work));
}

async function transactionWithRetry<T>(
  sequelize: Sequelize,
  work: (transaction: Transaction, onRollback: OnRollback) => Promise<T>,
): Promise<T> {
  // READ COMMITTED on MySQL: a locking read of a row that does not exist yet takes no gap lock, so
  // two first uploads of the same content queue on the primary key instead of deadlocking.
  const options =
    sequelize.getDialect() === 'mysql'
      ? { isolationLevel: Transaction.ISOLATION_LEVELS.READ_COMMITTED }
      : {};
  for (let attempt = 1; ; attempt++) {
    const undoSteps: (() => Promise<void>)[] = [];
    try {
      return await sequelize.transaction(options, (transaction) =>
        work(transaction, (undo) => undoSteps.push(undo)),
      );
    } catch (err) {
      for (const undo of undoSteps.reverse()) await undo();
      if (attempt >= ATTEMPTS || !RETRYABLE.test(String((err as Error)?.message))) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 30));
    }
  }
}
