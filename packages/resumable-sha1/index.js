// A SHA-1 whose running state can be saved and loaded, computed by OpenSSL inside the Node binary
// (build/Release/resumable_sha1.node, from src/resumable_sha1.c). node:crypto is as fast but cannot
// export its state; hash-wasm can, at a quarter of the speed (see README.md).
import { createRequire } from 'node:module';

const binding = createRequire(import.meta.url)('./build/Release/resumable_sha1.node');

/** Saved states start with this tag, so a state saved by another engine is never misread. */
const TAG = Buffer.from('OSSLSHA1');

export class ResumableSha1 {
  #state;

  constructor(state = binding.init()) {
    this.#state = state;
  }

  /** True when `saved` came from `save()` of this engine. */
  static isSavedState(saved) {
    return (
      saved.length === TAG.length + binding.stateBytes && TAG.equals(saved.subarray(0, TAG.length))
    );
  }

  /** The hasher `save()` returned; throws a TypeError for anything else. */
  static load(saved) {
    if (!ResumableSha1.isSavedState(saved)) throw new TypeError('not a saved ResumableSha1 state');
    return new ResumableSha1(binding.copy(saved.subarray(TAG.length)));
  }

  /** Hashes `bytes` (a Uint8Array, Buffer included). */
  update(bytes) {
    binding.update(this.#state, bytes);
    return this;
  }

  /** The state so far (tag + OpenSSL's SHA_CTX): `load` continues from it in any process of this build. */
  save() {
    return Buffer.concat([TAG, this.#state]);
  }

  /** The SHA-1 of the bytes so far, as 40 hex digits; the hasher may go on. */
  digestHex() {
    return binding.digest(this.#state).toString('hex');
  }
}
