/* test_share.c -- SHA-256 / HMAC-SHA256 against published vectors (FIPS 180-4
 * examples, RFC 4231), the share configuration's errors (file:line: key) and
 * the pseudonyms it gives. */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "sha256.h"
#include "share.h"

static void hex(const unsigned char *d, char *out)
{
    for (int i = 0; i < 32; i++) sprintf(out + 2 * i, "%02x", d[i]);
}

static void check_sha(const void *msg, size_t len, const char *want)
{
    unsigned char d[32];
    char h[65];
    gs_sha256(msg, len, d);
    hex(d, h);
    cr_expect_str_eq(h, want);
}

Test(sha256, fips_180_4_examples)
{
    check_sha("", 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    check_sha("abc", 3, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"; /* 448 bits: padding spills a block */
    check_sha(two, strlen(two), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    char *m = malloc(1000000);
    memset(m, 'a', 1000000);
    check_sha(m, 1000000, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    /* the same million bytes fed in uneven pieces */
    gs_sha256_t c;
    unsigned char d[32];
    char h[65];
    gs_sha256_init(&c);
    for (size_t off = 0, step = 1; off < 1000000; off += step, step = step % 97 + 13)
        gs_sha256_update(&c, m + off, off + step > 1000000 ? 1000000 - off : step);
    gs_sha256_final(&c, d);
    hex(d, h);
    cr_expect_str_eq(h, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    free(m);
}

static void check_hmac(const void *key, size_t klen, const char *msg, const char *want)
{
    unsigned char d[32];
    char h[65];
    gs_hmac_sha256(key, klen, msg, strlen(msg), d);
    hex(d, h);
    cr_expect_str_eq(h, want, "HMAC of '%s'", msg);
}

Test(sha256, hmac_rfc4231)
{
    unsigned char k1[20], k6[131];
    memset(k1, 0x0b, sizeof k1);
    memset(k6, 0xaa, sizeof k6);
    check_hmac(k1, sizeof k1, "Hi There", "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    check_hmac("Jefe", 4, "what do ya want for nothing?", "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    /* a key longer than the block is hashed first */
    check_hmac(k6, sizeof k6, "Test Using Larger Than Block-Size Key - Hash Key First",
               "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

#define BASE "contact:\n  name: Clinic\n  href: https://example.org/contact\nassembly: GRCh38\n"

static gs_share_config_t *parse(const char *text, kstring_t *err)
{
    err->l = 0;
    return gs_share_config_parse(text, strlen(text), "s.yml", err);
}

static void expect_error(const char *text, const char *want)
{
    kstring_t err = KS_INITIALIZE;
    gs_share_config_t *c = parse(text, &err);
    cr_expect_null(c, "accepted: %s", text);
    gs_share_config_free(c);
    cr_expect(err.s && strstr(err.s, want), "error '%s' lacks '%s'", err.s ? err.s : "", want);
    ks_free(&err);
}

Test(share_config, errors_name_file_line_and_key)
{
    expect_error(BASE "secret: 0123456789abcdef\ncolour: red\n", "s.yml:6: unknown key 'colour'");
    expect_error(BASE "secret: short\n", "s.yml:5: secret: too short");
    expect_error(BASE "secret: 0123456789abcdef\ntop: 0\n", "s.yml:6: top: expected an integer");
    expect_error(BASE "secret: 0123456789abcdef\ntest: maybe\n", "s.yml:6: test: expected true or false");
    expect_error("contact:\n  name: Clinic\n  href: ftp://x\nassembly: GRCh38\nsecret: 0123456789abcdef\n",
                 "s.yml:3: contact.href: expected an http(s): or mailto: URL");
    expect_error("contact:\n  name: Clinic\nassembly: GRCh38\nsecret: 0123456789abcdef\n", "s.yml:2: contact: needs name and href");
    expect_error("contact:\n  name: Clinic\n  href: mailto:a@b\nsecret: 0123456789abcdef\n", "s.yml:1: assembly: required");
    expect_error(BASE "assembly: hg17\n", "s.yml:5: assembly: given twice");
    expect_error("contact:\n  name: C\n  href: mailto:a@b\nassembly: NCBI36\n", "s.yml:4: assembly: expected GRCh37 or GRCh38");
    expect_error(BASE, "s.yml:1: no pseudonyms");
    expect_error(BASE "id_prefix: GS-\n", "s.yml:5: id_prefix: needs a secret");
    expect_error(BASE "ids:\n  HG002: ../etc\n", "s.yml:6: ids.HG002: a pseudonym is");
    expect_error(BASE "ids:\n  HG002: P1\n  HG003: P1\n", "s.yml:7: ids.HG003: pseudonym 'P1' is already given");
    expect_error(BASE "ids: [a, b]\n", "s.yml:5: ids: expected a mapping");
    expect_error(BASE "secret: 0123456789abcdef\n  bad: [\n", "s.yml:");
    expect_error("- a\n- b\n", "s.yml:1: a share configuration is a mapping");
}

Test(share_config, pseudonyms)
{
    kstring_t err = KS_INITIALIZE, a = KS_INITIALIZE, b = KS_INITIALIZE;
    gs_share_config_t *c = parse(BASE "ids:\n  HG002: CASE-7\nid_prefix: GS-\nsecret: a long enough secret\ntop: 3\ntest: true\n", &err);
    cr_assert_not_null(c, "%s", err.s);
    cr_expect_eq(c->top, 3);
    cr_expect_eq(c->test, 1);
    cr_expect_str_eq(c->assembly, "GRCh38");
    cr_expect_str_eq(c->created_by, "Clinic"); /* defaults to the contact */
    cr_assert_eq(gs_share_pseudonym(c, "HG002", &a, &err), 0);
    cr_expect_str_eq(a.s, "CASE-7");           /* an explicit map wins */
    cr_assert_eq(gs_share_pseudonym(c, "HG003", &a, &err), 0);
    /* id_prefix + the first 8 bytes of HMAC-SHA256(secret, sample), in hex */
    unsigned char mac[32];
    gs_hmac_sha256("a long enough secret", 20, "HG003", 5, mac);
    char want[40];
    strcpy(want, "GS-");
    for (int i = 0; i < 8; i++) sprintf(want + 3 + 2 * i, "%02x", mac[i]);
    cr_expect_str_eq(a.s, want);
    cr_assert_eq(gs_share_pseudonym(c, "HG003", &b, &err), 0);
    cr_expect_str_eq(a.s, b.s);                /* stable */
    cr_expect(!strstr(a.s, "HG003"));
    gs_share_config_free(c);
    c = parse(BASE "id_prefix: GS-\nsecret: another long secret!\n", &err);
    cr_assert_not_null(c, "%s", err.s);
    cr_assert_eq(gs_share_pseudonym(c, "HG003", &b, &err), 0);
    cr_expect_str_neq(a.s, b.s);               /* another secret, other ids */
    gs_share_config_free(c);
    c = parse(BASE "ids:\n  HG002: CASE-7\n", &err);
    cr_assert_not_null(c, "%s", err.s);
    cr_expect_eq(gs_share_pseudonym(c, "HG004", &b, &err), -1); /* no map entry, no secret: no id */
    gs_share_config_free(c);
    ks_free(&err); ks_free(&a); ks_free(&b);
}
