export * from './common.ts';
export * from './auth.ts';
export * from './files.ts';
export * from './uploads.ts';
