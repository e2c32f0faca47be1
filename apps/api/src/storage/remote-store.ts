// The object store of STORAGE=oss|s3, built from the configuration; none for STORAGE=local.
import type { StorageConfig } from '../config.ts';
import type { RemoteDriver } from '../queue/transfer-job.ts';
import type { ObjectStore } from './object-store.ts';
import { OssObjectStore } from './oss-object-store.ts';
import { S3ObjectStore } from './s3-object-store.ts';

export type RemoteStore = ObjectStore & { readonly driver: RemoteDriver };

export function createRemoteStore(storage: StorageConfig): RemoteStore | undefined {
  switch (storage.driver) {
    case 'oss':
      return new OssObjectStore(storage);
    case 's3':
      return new S3ObjectStore(storage);
    case 'local':
      return undefined;
  }
}
