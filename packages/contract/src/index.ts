export * from './common.ts';
export * from './auth.ts';
export * from './files.ts';
export * from './folders.ts';
export * from './uploads.ts';
export * from './shares.ts';
export * from './trash.ts';
export * from './versions.ts';
