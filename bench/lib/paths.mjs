// Where benchmarks run from and keep their scratch files.
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

// Inside the repo (git-ignored), so inputs, copies and the API's DATA_DIR share one disk.
export const BENCH_TMP = fileURLToPath(new URL('../../.bench-tmp/', import.meta.url));
