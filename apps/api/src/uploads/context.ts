import type { AccountService } from '../auth/service.ts';
import type { InstantUploads } from '../files/instant.ts';
import type { FileService } from '../files/service.ts';
import type { FolderService } from '../folders/service.ts';
import type { LocalStore } from '../storage/local-store.ts';
import type { UploadRepository } from './repository.ts';
import type { ChunkStaging } from './staging.ts';

/** What every upload action works with. */
export interface UploadContext {
  repository: UploadRepository;
  staging: ChunkStaging;
  files: FileService;
  folders: FolderService;
  accounts: AccountService;
  /** The probe budget that init's {instant: true} answer draws on, like the challenge. */
  instant: InstantUploads;
  store: LocalStore;
  chunkSize: number;
  uploadMaxBytes: number;
}
