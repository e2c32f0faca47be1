/** A SHA-1 whose running state can be saved and loaded (OpenSSL's SHA-1 in the Node binary). */
export declare class ResumableSha1 {
  constructor();
  /** True when `saved` came from `save()` of this engine. */
  static isSavedState(saved: Uint8Array): boolean;
  /** The hasher `save()` returned; throws a TypeError for anything else. */
  static load(saved: Buffer): ResumableSha1;
  /** Hashes `bytes`. */
  update(bytes: Uint8Array): this;
  /** The state so far: `load` continues from it in any process of this build. */
  save(): Buffer;
  /** The SHA-1 of the bytes so far, as 40 hex digits; the hasher may go on. */
  digestHex(): string;
}
