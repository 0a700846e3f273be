/* spill.h -- an append-only byte store that keeps at most `cap` bytes in
 * memory and moves the rest to an unlinked temporary file in TMPDIR (else
 * /tmp): what lets memory stay flat however many variants a run keeps. */
#ifndef GS_SPILL_H
#define GS_SPILL_H

#include <stddef.h>
#include <stdint.h>
#include <htslib/kstring.h>

typedef struct gs_spill gs_spill_t;

/** The bytes a store keeps in memory by default (GENESIEVE_SPILL_BYTES overrides it: 0 puts
 * everything on disk; the tests use it). */
size_t gs_spill_default_cap(void);
gs_spill_t *gs_spill_init(size_t cap);
/** Append n bytes; *off gets their offset.  The temporary file is created on the first overflow. */
int gs_spill_put(gs_spill_t *s, const void *p, size_t n, int64_t *off, kstring_t *err);
/** Read back n bytes from off.  Several threads may read at once while nobody appends. */
int gs_spill_get(const gs_spill_t *s, int64_t off, void *p, size_t n, kstring_t *err);
/** Bytes appended so far. */
int64_t gs_spill_size(const gs_spill_t *s);
/** Forget everything appended (the file, if any, is truncated and reused). */
int gs_spill_reset(gs_spill_t *s, kstring_t *err);
void gs_spill_free(gs_spill_t *s);

/* Little helpers for the records written to a store. */
static inline void gs_put_pad8(kstring_t *s)
{
    while (s->l & 7) kputc_(0, s);
}

#endif
