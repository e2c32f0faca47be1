// Open uploads remembered across reloads and browser restarts, in IndexedDB: the same file picked
// again — same name, size and modification time — resumes its upload where the server stopped
// (the server still checks the SHA-1 at complete). Remembering is a convenience: when
// IndexedDB is missing or fails, every function here quietly does nothing.

export interface RememberedUpload {
  uploadId: string;
  /** Epoch milliseconds. */
  createdAt: number;
  /** The folder it goes into; undefined: the root. */
  folderId?: string;
  /** Where the browser gave one: the file itself, readable again after one permission click. */
  handle?: FileSystemFileHandle;
}

/** A remembered upload with the identity of its file, as listed after a reload. */
export interface InterruptedUpload extends RememberedUpload {
  name: string;
  size: number;
  lastModified: number;
}

type FileIdentity = Pick<File, 'name' | 'size' | 'lastModified'>;

/** Entries older than this are swept: the server forgets an idle upload after `UPLOAD_TTL` (24 h). */
export const STALE_AFTER_MS = 24 * 60 * 60 * 1000;

const DB_NAME = 'filestore';
const STORE = 'open-uploads';

/** The IndexedDB key of a file: an array key compares by each part, so no separator can clash. */
export const resumeKey = (file: FileIdentity): [string, number, number] => [
  file.name,
  file.size,
  file.lastModified,
];

export const isStale = (entry: RememberedUpload, now: number) =>
  !(now - entry.createdAt < STALE_AFTER_MS); // a clock that went backwards counts as fresh

/** Data written by an older version of the app (or by hand) is ignored, not trusted. */
export function isRememberedUpload(value: unknown): value is RememberedUpload {
  const entry = value as Partial<RememberedUpload> | null;
  return typeof entry?.uploadId === 'string' && typeof entry.createdAt === 'number';
}

let database: Promise<IDBDatabase> | undefined;

function openDatabase(): Promise<IDBDatabase> {
  return (database ??= new Promise<IDBDatabase>((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  }).catch((err: unknown) => {
    database = undefined; // try again next time
    throw err;
  }));
}

/** Runs one request in its own transaction; resolves when the transaction has committed. */
async function inStore<T>(
  mode: IDBTransactionMode,
  operate: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T | undefined> {
  if (typeof indexedDB === 'undefined') return undefined;
  try {
    const db = await openDatabase();
    return await new Promise<T>((resolve, reject) => {
      const transaction = db.transaction(STORE, mode);
      const request = operate(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } catch (err) {
    console.warn('Could not use the list of open uploads:', err);
    return undefined;
  }
}

export async function recallUpload(file: FileIdentity): Promise<RememberedUpload | undefined> {
  const entry = await inStore('readonly', (store) => store.get(resumeKey(file)));
  return isRememberedUpload(entry) && !isStale(entry, Date.now()) ? entry : undefined;
}

export async function rememberUpload(file: FileIdentity, entry: RememberedUpload): Promise<void> {
  await inStore('readwrite', (store) => store.put(entry, resumeKey(file)));
}

export async function forgetUpload(file: FileIdentity): Promise<void> {
  await inStore('readwrite', (store) => store.delete(resumeKey(file)));
}

/**
 * The uploads an earlier visit left unfinished, oldest first; entries too old to resume (or
 * unreadable) are deleted on the way. Run once when the app starts.
 */
export async function recallInterrupted(now = Date.now()): Promise<InterruptedUpload[]> {
  const found: InterruptedUpload[] = [];
  await inStore('readwrite', (store) => {
    const cursor = store.openCursor();
    cursor.onsuccess = () => {
      const at = cursor.result;
      if (!at) return;
      if (!isRememberedUpload(at.value) || isStale(at.value, now)) at.delete();
      else {
        const [name, size, lastModified] = at.key as [string, number, number];
        found.push({ ...at.value, name, size, lastModified });
      }
      at.continue();
    };
    return cursor;
  });
  return found.sort((a, b) => a.createdAt - b.createdAt);
}
