/* plexauth through its C ABI: one client (one keep-alive connection), each
 * result read (the account id; the sign-in's auth token) and freed. */
#include <plexauth/plexauth.h>
#include <string.h>

#include "driver.h"
#include "identity.h"

struct ctx {
  plexauth_client *client;
  plexauth_sign_in *sign_in;
  const char *token;
};

static int token_details(void *p) {
  struct ctx *c = p;
  plexauth_account *a = NULL;
  if (plexauth_client_get_token_details(&a, c->client, NULL, NULL) != PLEXAUTH_OK) return 0;
  int64_t id = 0;
  const int ok = plexauth_account_id(a, &id) == 1 && id > 0;
  plexauth_account_free(a);
  return ok;
}

static int sign_in(void *p) {
  struct ctx *c = p;
  plexauth_account *a = NULL;
  if (plexauth_client_post_users_sign_in_data(&a, c->client, c->sign_in, NULL, NULL) != PLEXAUTH_OK) return 0;
  const char *token = plexauth_account_auth_token(a);
  const int ok = token != NULL && strcmp(token, c->token) == 0;
  plexauth_account_free(a);
  return ok;
}

static void must(plexauth_status s, const char *what) {
  if (s != PLEXAUTH_OK) bench_fail(what);
}

int main(int argc, char **argv) {
  if (argc != 3) bench_fail("usage: plexauth_c PLEX_TV_URL N");
  struct ctx c = {0};
  c.token = bench_env("PLEXAUTH_BENCH_TOKEN");
  plexauth_config *cfg = NULL;
  must(plexauth_config_new(&cfg), "plexauth_config_new");
  must(plexauth_config_set_plex_tv_url(cfg, argv[1]), "set_plex_tv_url");
  must(plexauth_config_set_access_token(cfg, c.token), "set_access_token");
  must(plexauth_config_set_client_id(cfg, kIdentity[0].value), "set_client_id");
  must(plexauth_config_set_client_name(cfg, kIdentity[1].value), "set_client_name");
  must(plexauth_config_set_client_version(cfg, kIdentity[2].value), "set_client_version");
  must(plexauth_config_set_platform(cfg, kIdentity[3].value), "set_platform");
  must(plexauth_config_set_device_nickname(cfg, kIdentity[4].value), "set_device_nickname");
  must(plexauth_config_set_device_name(cfg, kIdentity[5].value), "set_device_name");
  must(plexauth_client_new(&c.client, cfg, NULL), "plexauth_client_new");
  plexauth_config_free(cfg);

  must(plexauth_sign_in_new(&c.sign_in), "plexauth_sign_in_new");
  must(plexauth_sign_in_set_login(c.sign_in, bench_env("PLEXAUTH_BENCH_LOGIN")), "set_login");
  must(plexauth_sign_in_set_password(c.sign_in, bench_env("PLEXAUTH_BENCH_PASSWORD")), "set_password");

  bench_run(argc, argv, token_details, sign_in, &c);

  plexauth_sign_in_free(c.sign_in);
  plexauth_client_free(c.client);
  return 0;
}
