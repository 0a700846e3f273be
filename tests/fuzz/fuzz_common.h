/* fuzz_common.h -- helpers for the libFuzzer harnesses. */
#ifndef GS_FUZZ_COMMON_H
#define GS_FUZZ_COMMON_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <htslib/hts_log.h>

/* Write the input to a per-process file and return its path. */
static inline const char *fuzz_file(const char *tag, const uint8_t *data, size_t size)
{
    static char path[256];
    snprintf(path, sizeof path, "/tmp/gs-fuzz-%s-%ld", tag, (long)getpid());
    FILE *fp = fopen(path, "wb");
    if (!fp) abort();
    if (size && fwrite(data, 1, size, fp) != size) abort();
    fclose(fp);
    return path;
}

/* htslib's own messages would drown libFuzzer's; GeneSieve's errors stay (they are one line each). */
static inline void fuzz_quiet(void)
{
    hts_set_log_level(HTS_LOG_OFF);
}

#endif
