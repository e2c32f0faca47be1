import { randomBytes } from 'node:crypto';

/** A random, unguessable id: 128 bits in base64url (22 characters). */
export const newId = (): string => randomBytes(16).toString('base64url');
