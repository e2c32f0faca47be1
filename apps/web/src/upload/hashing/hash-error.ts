// Why hashing failed, as a code the UI can translate (like ApiError's wire codes).
export type HashErrorCode = 'wasm_unavailable' | 'read_failed' | 'worker_failed';

export class HashError extends Error {
  constructor(
    readonly code: HashErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HashError';
  }
}
