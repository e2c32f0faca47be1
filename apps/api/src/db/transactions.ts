// Transactions that retry when the database picks them as a deadlock victim, with undo steps for
// work outside the database (a file moved aside) that must be reverted when the transaction is not
// committed.
import { Transaction, type Sequelize } from 'sequelize';

const RETRYABLE = /ER_LOCK_DEADLOCK|Deadlock found|ER_LOCK_WAIT_TIMEOUT|SQLITE_BUSY/;
const ATTEMPTS = 5;

/** Registers a step that runs if the transaction rolls back. */
export type OnRollback = (undo: () => Promise<void>) => void;

export async function inTransaction<T>(
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
