import type { AccountService } from '../auth/service.ts';
import type { InstantUploads } from '../files/instant.ts';
import type { FileService } from '../files/service.ts';
import type { FolderService } from '../folders/service.ts';
import type { PrefixHasher } from '../content/prefix-hasher.ts';
import type { UploadStaging } from '../content/staging.ts';
import type { LocalStore } from '../storage/local-store.ts';
import type { ChunkLocks } from './chunk-lock.ts';
import type { UploadRepository } from './repository.ts';

/** What every upload action works with. */
export interface UploadContext {
  repository: UploadRepository;
  staging: UploadStaging;
  /** The running SHA-1 of each upload. */
  hasher: PrefixHasher;
  chunkLocks: ChunkLocks;
  files: FileService;
  folders: FolderService;
  accounts: AccountService;
  /** The probe budget that init's {instant: true} answer draws on, like the challenge. */
  instant: InstantUploads;
  store: LocalStore;
  chunkSize: number;
  uploadMaxBytes: number;
}
