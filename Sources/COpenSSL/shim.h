// The only C in ketlog: OpenSSL 3 libcrypto, plus wrappers for what Swift cannot call
// directly (function-like macros).
#ifndef KETLOG_COPENSSL_SHIM_H
#define KETLOG_COPENSSL_SHIM_H

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/core_names.h>
#include <openssl/params.h>
#include <openssl/rand.h>
#include <openssl/sha.h>

/// `OPENSSL_cleanse` is a function, but `OPENSSL_free` is a macro; expose a free that Swift can call.
static inline void ketlog_openssl_free(void *ptr) { CRYPTO_free(ptr, __FILE__, __LINE__); }

#endif
