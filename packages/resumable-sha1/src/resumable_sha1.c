// SHA-1 whose running state can be saved and loaded: OpenSSL's SHA1_Update (the one Node itself
// links, with its SHA-NI and AVX2 code paths) over a SHA_CTX that lives in a Buffer owned by
// JavaScript. The state is plain data, so saving it is copying the Buffer. See ../README.md.
#define OPENSSL_SUPPRESS_DEPRECATED // SHA1_* are deprecated in OpenSSL 3 but kept; EVP hides the state
#include <node_api.h>
#include <openssl/sha.h>
#include <string.h>

#define CHECK(call)                                                                               \
  do {                                                                                            \
    if ((call) != napi_ok) return NULL;                                                           \
  } while (0)

static napi_value throw_type_error(napi_env env, const char* message) {
  napi_throw_type_error(env, NULL, message);
  return NULL;
}

// The SHA_CTX held by the Buffer `value`, or NULL (with a TypeError thrown) when it is not one.
static SHA_CTX* context_of(napi_env env, napi_value value) {
  void* data;
  size_t length;
  bool is_buffer;
  if (napi_is_buffer(env, value, &is_buffer) != napi_ok || !is_buffer) {
    throw_type_error(env, "the SHA-1 state must be a Buffer");
    return NULL;
  }
  if (napi_get_buffer_info(env, value, &data, &length) != napi_ok) return NULL;
  if (length != sizeof(SHA_CTX) || ((size_t)data % _Alignof(SHA_CTX)) != 0) {
    throw_type_error(env, "not a SHA-1 state of this build");
    return NULL;
  }
  // A state read back from storage must not index past its block buffer (SHA1_Update trusts num).
  if (((SHA_CTX*)data)->num >= SHA_CBLOCK) {
    throw_type_error(env, "a corrupt SHA-1 state");
    return NULL;
  }
  return (SHA_CTX*)data;
}

// A new state Buffer (malloc-aligned), initialised or copied from `from`.
static napi_value new_context(napi_env env, const SHA_CTX* from) {
  void* data;
  napi_value buffer;
  CHECK(napi_create_buffer(env, sizeof(SHA_CTX), &data, &buffer));
  if (from) memcpy(data, from, sizeof(SHA_CTX));
  else SHA1_Init((SHA_CTX*)data);
  return buffer;
}

// The state Buffer that a call's first argument holds (the rest of its `count` arguments into
// argv), or NULL with a TypeError thrown.
static SHA_CTX* state_argument(napi_env env, napi_callback_info info, size_t count,
                               napi_value* argv, const char* usage) {
  size_t argc = count;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) return NULL;
  if (argc < count) {
    throw_type_error(env, usage);
    return NULL;
  }
  return context_of(env, argv[0]);
}

// init() -> state
static napi_value init(napi_env env, napi_callback_info info) {
  return new_context(env, NULL);
}

// copy(state) -> a new state equal to it (saving, and loading a saved one)
static napi_value copy(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  SHA_CTX* ctx = state_argument(env, info, 1, argv, "copy(state)");
  return ctx ? new_context(env, ctx) : NULL;
}

// update(state, bytes): bytes is a Uint8Array (a Buffer included)
static napi_value update(napi_env env, napi_callback_info info) {
  napi_value argv[2];
  SHA_CTX* ctx = state_argument(env, info, 2, argv, "update(state, bytes)");
  if (!ctx) return NULL;
  bool is_typed_array;
  CHECK(napi_is_typedarray(env, argv[1], &is_typed_array));
  if (!is_typed_array) return throw_type_error(env, "bytes must be a Uint8Array");
  napi_typedarray_type type;
  size_t length;
  void* data;
  CHECK(napi_get_typedarray_info(env, argv[1], &type, &length, &data, NULL, NULL));
  if (type != napi_uint8_array) return throw_type_error(env, "bytes must be a Uint8Array");
  SHA1_Update(ctx, data, length);
  return NULL;
}

// digest(state) -> 20-byte Buffer; the state is left as it was (the final block is padded on a copy)
static napi_value digest(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  SHA_CTX* ctx = state_argument(env, info, 1, argv, "digest(state)");
  if (!ctx) return NULL;
  SHA_CTX final_ctx = *ctx;
  void* out;
  napi_value buffer;
  CHECK(napi_create_buffer(env, SHA_DIGEST_LENGTH, &out, &buffer));
  SHA1_Final((unsigned char*)out, &final_ctx);
  return buffer;
}

static napi_value module_init(napi_env env, napi_value exports) {
  napi_property_descriptor functions[] = {
      {"init", NULL, init, NULL, NULL, NULL, napi_default, NULL},
      {"copy", NULL, copy, NULL, NULL, NULL, napi_default, NULL},
      {"update", NULL, update, NULL, NULL, NULL, napi_default, NULL},
      {"digest", NULL, digest, NULL, NULL, NULL, napi_default, NULL},
  };
  CHECK(napi_define_properties(env, exports, sizeof(functions) / sizeof(functions[0]), functions));
  napi_value size;
  CHECK(napi_create_uint32(env, sizeof(SHA_CTX), &size));
  CHECK(napi_set_named_property(env, exports, "stateBytes", size));
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, module_init)
