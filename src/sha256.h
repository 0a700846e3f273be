/* sha256.h -- SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104), for the
 * keyed pseudonyms of `genesieve share`.  Small and unoptimised: it hashes
 * sample names, not sequence data. */
#ifndef GS_SHA256_H
#define GS_SHA256_H

#include <stddef.h>
#include <stdint.h>

typedef struct gs_sha256 {
    uint32_t h[8];
    uint64_t nbytes;            /* message length so far */
    unsigned char buf[64];
    size_t nbuf;
} gs_sha256_t;

void gs_sha256_init(gs_sha256_t *c);
void gs_sha256_update(gs_sha256_t *c, const void *data, size_t len);
void gs_sha256_final(gs_sha256_t *c, unsigned char out[32]);
/** One-shot digest. */
void gs_sha256(const void *data, size_t len, unsigned char out[32]);
/** HMAC-SHA256 of msg under key. */
void gs_hmac_sha256(const void *key, size_t klen, const void *msg, size_t mlen, unsigned char out[32]);

#endif
