/* share.h -- `genesieve share`: Matchmaker Exchange and Phenopacket exports of
 * per-patient results under pseudonymous ids (README "Sharing (matchmaking)"). */
#ifndef GS_SHARE_H
#define GS_SHARE_H

#include <htslib/kstring.h>

typedef struct gs_share_config {
    char *source;                       /* file name, for messages */
    char *contact_name, *contact_institution, *contact_href, *contact_email;
    char *assembly;                     /* "GRCh37" or "GRCh38" */
    char *created_by;                   /* phenopacket metaData.createdBy (default: contact name) */
    long top;                           /* genes exported per patient, 0 = not set */
    int test;                           /* MME patient.test */
    char **id_sample, **id_pseudonym;   /* ids: explicit map */
    int nids;
    char *id_prefix, *secret;           /* keyed pseudonyms for the others */
} gs_share_config_t;

/** Parse a share configuration (YAML); NULL and "FILE:LINE: key: problem" in err. */
gs_share_config_t *gs_share_config_parse(const char *text, size_t len, const char *source, kstring_t *err);
gs_share_config_t *gs_share_config_load(const char *path, kstring_t *err);
void gs_share_config_free(gs_share_config_t *c);

/** The pseudonym of a sample: its entry in ids:, else id_prefix + the first 16
 * hex digits of HMAC-SHA256(secret, sample); -1 when the config gives none. */
int gs_share_pseudonym(const gs_share_config_t *c, const char *sample, kstring_t *out, kstring_t *err);

/** `genesieve share` */
int gs_cmd_share(int argc, char **argv);

#endif
