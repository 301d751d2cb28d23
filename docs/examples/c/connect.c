/*
 * Finding the account's server and reaching it, as docs/guide-c.md shows it
 * (regions between [name] / [end] are quoted verbatim; tests/docs runs this
 * program against plexauth-fake).
 *
 *   PLEX_TV_URL   the plex.tv API base, e.g. http://127.0.0.1:PORT/api/v2
 * The account token comes from standard input (never from argv).
 */
#include <plexauth/plexauth.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* [pick] */
/* The account's first server of its own (provides "server", owned). */
static const plexauth_resource *own_server(const plexauth_resources *all) {
  for (size_t i = 0; i < plexauth_resources_devices_count(all); ++i) {
    const plexauth_resource *d = plexauth_resources_devices_at(all, i);
    const char *provides = plexauth_resource_provides(d);
    int owned = 0;
    if (provides && strstr(provides, "server") && plexauth_resource_owned(d, &owned) && owned) return d;
  }
  return NULL;
}
/* [end] */

int main(void) {
  const char *plex_tv = getenv("PLEX_TV_URL");
  char token[256];
  if (!plex_tv || !fgets(token, sizeof token, stdin)) {
    fprintf(stderr, "set PLEX_TV_URL and pass the token on stdin\n");
    return 2;
  }
  token[strcspn(token, "\r\n")] = '\0';

  plexauth_config *cfg = NULL;
  plexauth_client *client = NULL;
  plexauth_config_new(&cfg);
  plexauth_config_set_plex_tv_url(cfg, plex_tv); /* clients.plex.tv calls follow it */
  plexauth_config_set_access_token(cfg, token);
  plexauth_config_set_client_id(cfg, "3381b62b-9ab7-4e37-827b-203e9809eb58");
  plexauth_config_set_client_name(cfg, "plexauth guide");
  if (plexauth_client_new(&client, cfg, NULL) != PLEXAUTH_OK) return 1;
  plexauth_config_free(cfg);
  int rc = 1;

  /* [connect] */
  plexauth_resources *all = NULL;
  plexauth_connect_options *opts = NULL;
  plexauth_connect_result *conn = NULL;
  plexauth_error *err = NULL;
  plexauth_status st = plexauth_client_list_resources(&all, client, NULL, &err);
  const plexauth_resource *server = st == PLEXAUTH_OK ? own_server(all) : NULL;
  if (server) {
    plexauth_connect_options_new(&opts, NULL);
    plexauth_connect_options_set_stagger_ms(opts, 200);   /* the next address starts 200 ms later */
    plexauth_connect_options_set_deadline_ms(opts, 5000); /* or when the one before fails */
    st = plexauth_client_connect(&conn, client, server, opts, &err);
  }
  if (st == PLEXAUTH_OK && conn) {
    printf("%s: %s\n", plexauth_connect_result_name(conn), plexauth_connect_result_uri(conn));
    /* Talk to it with its own token (NULL: the account's), e.g. through call options:
     * plexauth_call_options_set_server_url(o, plexauth_connect_result_uri(conn));
     * plexauth_call_options_set_access_token(o, plexauth_connect_result_access_token(conn)); */
    for (size_t i = 0; i < plexauth_connect_result_attempts_count(conn); ++i)
      printf("  %s %s: %s\n", plexauth_connect_result_attempt_location(conn, i),
             plexauth_connect_result_attempt_uri(conn, i), plexauth_connect_result_attempt_outcome(conn, i));
    rc = 0;
  } else if (st != PLEXAUTH_OK) {
    /* PLEXAUTH_E_UNREACHABLE: the message has one line per address tried. */
    fprintf(stderr, "%s: %s\n", plexauth_status_name(st), plexauth_error_message(err));
  } else {
    fprintf(stderr, "no server of your own\n");
  }
  plexauth_connect_result_free(conn);
  plexauth_connect_options_free(opts);
  plexauth_resources_free(all);
  plexauth_error_free(err);
  /* [end] */
  plexauth_client_free(client);
  return rc;
}
