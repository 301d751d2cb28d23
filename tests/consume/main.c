/*
 * The scratch program of tests/consume: built by each way of consuming
 * plexauth (find_package, pkg-config, add_subdirectory, FetchContent, shared
 * and static), it checks that the library it runs with is the one its header
 * describes and makes one real call: a ping to the plexauth-fake whose plex.tv
 * API base is its only argument.
 *
 *   consume http://127.0.0.1:PORT/api/v2
 */
#include <plexauth/plexauth.h>

#include <stdio.h>

int main(int argc, char **argv) {
  plexauth_config *cfg = NULL;
  plexauth_client *client = NULL;
  plexauth_pong *pong = NULL;
  plexauth_error *err = NULL;
  plexauth_status st;
  int major = -1, minor = -1, patch = -1, ok = 0;
  const char *version = plexauth_version(&major, &minor, &patch);

  if (argc != 2) {
    fprintf(stderr, "usage: consume PLEX_TV_URL\n");
    return 2;
  }
  if (major != PLEXAUTH_VERSION_MAJOR || minor != PLEXAUTH_VERSION_MINOR) {
    fprintf(stderr, "runs with plexauth %s, compiled against %s\n", version, PLEXAUTH_VERSION_STRING);
    return 1;
  }
  if (plexauth_config_new(&cfg) != PLEXAUTH_OK) return 1;
  if (plexauth_config_set_plex_tv_url(cfg, argv[1]) != PLEXAUTH_OK ||
      plexauth_config_set_client_id(cfg, "consume-test-3381b62b") != PLEXAUTH_OK ||
      /* the fake's seeded account A (a test token, not a secret) */
      plexauth_config_set_access_token(cfg, "CxoUzBTSV5hsxjTpFKaf") != PLEXAUTH_OK ||
      plexauth_config_set_timeout_ms(cfg, 5000) != PLEXAUTH_OK ||
      plexauth_config_set_retry(cfg, NULL) != PLEXAUTH_OK) {
    plexauth_config_free(cfg);
    return 1;
  }
  st = plexauth_client_new(&client, cfg, &err);
  plexauth_config_free(cfg);
  if (st == PLEXAUTH_OK) st = plexauth_client_ping(&pong, client, NULL, &err);
  if (st == PLEXAUTH_OK && plexauth_pong_pong(pong, &ok) && ok) {
    printf("plexauth %s: pong\n", version);
  } else {
    fprintf(stderr, "ping: %s: %s\n", plexauth_status_name(st), plexauth_error_message(err));
    ok = 0;
  }
  plexauth_pong_free(pong);
  plexauth_error_free(err);
  plexauth_client_free(client);
  return ok ? 0 : 1;
}
