/* spill.c -- append-only store: memory up to a cap, then an unlinked temporary file. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "spill.h"

struct gs_spill {
    size_t cap;        /* bytes kept in memory at most */
    int fd;            /* -1 until the first overflow */
    int64_t base;      /* bytes in the file: buf holds what follows */
    char *buf;
    size_t len, m;
    char *dir;         /* where the file is, for messages */
};

size_t gs_spill_default_cap(void)
{
    const char *e = getenv("GENESIEVE_SPILL_BYTES");
    if (e && *e) {
        char *end;
        errno = 0;
        unsigned long long x = strtoull(e, &end, 10);
        if (!*end && !errno) return (size_t)x;
    }
    return (size_t)1 << 20;
}

gs_spill_t *gs_spill_init(size_t cap)
{
    gs_spill_t *s = calloc(1, sizeof(*s));
    if (!s) return NULL;
    s->cap = cap;
    s->fd = -1;
    return s;
}

static int open_file(gs_spill_t *s, kstring_t *err)
{
    const char *d = getenv("TMPDIR");
    if (!d || !*d) d = "/tmp";
    kstring_t t = KS_INITIALIZE;
    ksprintf(&t, "%s/genesieve.XXXXXX", d);
    int fd = mkstemp(t.s);
    if (fd < 0) {
        ksprintf(err, "cannot create a temporary file in %s (set TMPDIR to a writable directory): %s", d, strerror(errno));
        ks_free(&t);
        return -1;
    }
    unlink(t.s); /* nothing to clean up, whatever happens to the run */
    ks_free(&t);
    s->fd = fd;
    s->dir = strdup(d);
    return 0;
}

static int write_all(gs_spill_t *s, const char *p, size_t n, kstring_t *err)
{
    while (n) {
        ssize_t w = pwrite(s->fd, p, n, s->base);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) {
            ksprintf(err, "temporary file in %s: write failed: %s (TMPDIR chooses the directory)", s->dir,
                     w < 0 ? strerror(errno) : "no progress");
            return -1;
        }
        p += w;
        n -= w;
        s->base += w;
    }
    return 0;
}

int gs_spill_put(gs_spill_t *s, const void *p, size_t n, int64_t *off, kstring_t *err)
{
    *off = s->base + (int64_t)s->len;
    if (!n) return 0;
    if (s->len + n > s->cap) {
        /* over the cap: what is in memory goes to the file, then this too if it alone is over */
        if (s->fd < 0 && open_file(s, err) < 0) return -1;
        if (s->len && write_all(s, s->buf, s->len, err) < 0) return -1;
        s->len = 0;
        if (n > s->cap) return write_all(s, p, n, err);
    }
    if (s->len + n > s->m) {
        size_t m = s->m ? s->m : 4096;
        while (m < s->len + n) m *= 2;
        if (m > s->cap && s->cap >= s->len + n) m = s->cap;
        char *b = realloc(s->buf, m);
        if (!b) { ksprintf(err, "out of memory"); return -1; }
        s->buf = b;
        s->m = m;
    }
    memcpy(s->buf + s->len, p, n);
    s->len += n;
    return 0;
}

int gs_spill_get(const gs_spill_t *s, int64_t off, void *p, size_t n, kstring_t *err)
{
    char *o = p;
    if (off < 0 || off + (int64_t)n > s->base + (int64_t)s->len) {
        ksprintf(err, "temporary store: read past its end");
        return -1;
    }
    while (n && off < s->base) {
        size_t want = off + (int64_t)n <= s->base ? n : (size_t)(s->base - off);
        ssize_t r = pread(s->fd, o, want, off);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            ksprintf(err, "temporary file in %s: read failed: %s", s->dir, r < 0 ? strerror(errno) : "unexpected end");
            return -1;
        }
        o += r;
        off += r;
        n -= r;
    }
    if (n) memcpy(o, s->buf + (off - s->base), n);
    return 0;
}

int64_t gs_spill_size(const gs_spill_t *s) { return s->base + (int64_t)s->len; }

int gs_spill_reset(gs_spill_t *s, kstring_t *err)
{
    s->len = 0;
    if (s->fd >= 0 && s->base && ftruncate(s->fd, 0) != 0) {
        ksprintf(err, "temporary file in %s: cannot truncate: %s", s->dir, strerror(errno));
        return -1;
    }
    s->base = 0;
    return 0;
}

void gs_spill_free(gs_spill_t *s)
{
    if (!s) return;
    if (s->fd >= 0) close(s->fd);
    free(s->buf);
    free(s->dir);
    free(s);
}
