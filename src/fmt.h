/* fmt.h -- printf-style formatting into a kstring_t, byte for byte what
 * ksprintf gives, without vsnprintf's cost for the conversions the writers
 * use most (%s, integers, %c, %.Nf): the outputs are formatted after the
 * stream, on the main thread, and vsnprintf was half of that time. */
#ifndef GS_FMT_H
#define GS_FMT_H

#include <htslib/kstring.h>

/** As ksprintf(s, fmt, ...): the same text for every format (a conversion
 * this does not format itself goes to snprintf alone; %m is errno's text as
 * of the call; %n takes its argument and stores nothing).  -1 when out of
 * memory. */
int gs_kfmt(kstring_t *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/** "%.6g", as printf writes it. */
int gs_kput_g6(double v, kstring_t *s);

#endif
