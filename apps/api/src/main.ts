// Entry point of the API process (`npm start`, `npm run serve`): see start.ts.
import { startFromEnvironment } from './start.ts';

await startFromEnvironment();
