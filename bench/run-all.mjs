// `npm run bench`: every benchmark in turn, one after the other so they do not share the 2 cores.
// Pass --keep-inputs to keep the generated random files in .bench-tmp/ for the next run.
import { runChunkUploadBench } from './chunk-upload.mjs';
import { runFormUploadBench } from './form-upload.mjs';
import { runLimitsBench } from './limits.mjs';
import { runMetadataBench } from './metadata/metadata.mjs';
import { runTransferBench } from './transfer.mjs';
import { runUiUploadBench } from './ui-upload.mjs';

const options = { keepInputs: process.argv.includes('--keep-inputs') };
console.log(`filestore benchmarks — ${new Date().toISOString()}, Node ${process.version}`);
await runLimitsBench(options);
await runFormUploadBench(options);
await runChunkUploadBench(options);
await runUiUploadBench(options);
await runTransferBench(options);
await runMetadataBench();
