import { z } from './zod.ts';
import { ByteSize, Id, Sha1 } from './common.ts';

/**
 * What an upload does when its name is taken in the folder: `keep` both (the new one gets " (1)"),
 * `replace` the existing file's content (the old content becomes a version), or `fail` with 409
 * `name_taken` and the existing file's id in `error.fileId`.
 */
export const OnConflict = z
  .enum(['keep', 'replace', 'fail'])
  .openapi({ description: 'when the name is taken: keep both (default), replace, or fail (409)' });
export type OnConflict = z.infer<typeof OnConflict>;

/** An earlier content of a file; `createdAt`: when that content was written. */
export const VersionItem = z
  .object({
    id: Id,
    size: ByteSize,
    sha1: Sha1,
    createdAt: z.string().openapi({ format: 'date-time' }),
  })
  .openapi('Version');
export type VersionItem = z.infer<typeof VersionItem>;

/** Newest first; the current content is not among them. */
export const ListVersionsResponse = z
  .object({ items: z.array(VersionItem) })
  .openapi('ListVersionsResponse');
export type ListVersionsResponse = z.infer<typeof ListVersionsResponse>;

export const VersionParams = z.object({ id: Id, versionId: Id });
