/* tbi.h -- a tabix (.tbi) index of a sorted BGZF VCF, built while the VCF is
 * written, in flat memory: one contig's bins are in memory at a time, and a
 * finished contig's part of the index goes to a store (spill.h) until the
 * names of all contigs are known and the file is written.  htslib's on-the-fly
 * index keeps every bin of every contig, which grows with the genome. */
#ifndef GS_TBI_H
#define GS_TBI_H

#include <stdint.h>
#include <htslib/kstring.h>

typedef struct gs_tbi gs_tbi_t;

gs_tbi_t *gs_tbi_init(void);
/** A record of contig `chrom` at 0-based [beg, end), written between the
 * BGZF virtual offsets voff_beg and voff_end.  Records come sorted by contig
 * (each contig once) and position.  -1 with err on failure. */
int gs_tbi_push(gs_tbi_t *t, const char *chrom, int64_t beg, int64_t end, uint64_t voff_beg, uint64_t voff_end,
                kstring_t *err);
/** Write the index to `path` (BGZF). */
int gs_tbi_save(gs_tbi_t *t, const char *path, kstring_t *err);
void gs_tbi_free(gs_tbi_t *t);

#endif
