// The object store of STORAGE=oss|s3, built from the configuration; none for STORAGE=local. Each
// SDK is loaded only when it is configured: ali-oss and the AWS SDK cost ~20 MiB of memory each.
import type { StorageConfig } from '../config.ts';
import type { RemoteDriver } from '../queue/transfer-job.ts';
import type { ObjectStore } from './object-store.ts';

export type RemoteStore = ObjectStore & { readonly driver: RemoteDriver };

export async function createRemoteStore(storage: StorageConfig): Promise<RemoteStore | undefined> {
  switch (storage.driver) {
    case 'oss': {
      const { OssObjectStore } = await import('./oss-object-store.ts');
      return new OssObjectStore(storage);
    }
    case 's3': {
      const { S3ObjectStore } = await import('./s3-object-store.ts');
      return new S3ObjectStore(storage);
    }
    case 'local':
      return undefined;
  }
}
