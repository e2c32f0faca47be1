// Server-side secrets (e.g. the HMAC key of instant-upload challenges), created once and kept in the
// database so every API process signs and checks with the same key.
import { randomBytes } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';

export async function loadSecret(sequelize: Sequelize, name: string): Promise<Buffer> {
  const read = async () =>
    sequelize.query<{ value: string }>('SELECT value FROM app_secrets WHERE name = ?', {
      replacements: [name],
      type: QueryTypes.SELECT,
    });
  let rows = await read();
  if (rows.length === 0) {
    // Two processes starting at once may both try; the primary key keeps the first, both read it.
    await sequelize
      .query('INSERT INTO app_secrets (name, value) VALUES (?, ?)', {
        replacements: [name, randomBytes(32).toString('hex')],
      })
      .catch(() => undefined);
    rows = await read();
  }
  return Buffer.from(rows[0]!.value, 'hex');
}
