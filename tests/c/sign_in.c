/*
 * A C99 program that uses the installed plexauth library: it signs in to the
 * plex.tv API at the URL given as its only argument (a plexauth-fake), first
 * as an account without 2FA, then as one with 2FA (asked for the code, then
 * given it), and checks what comes back. Exit status 0 when every check
 * passes. It never prints a token or a password.
 *
 *   sign_in http://127.0.0.1:PORT/api/v2
 */
#include <plexauth/plexauth.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The fake's seeded accounts (the passwords are not secrets: they only open
 * the fake). */
#define LOGIN_A "username@email.com"
#define PASSWORD_A "password123"
#define TOKEN_A "CxoUzBTSV5hsxjTpFKaf"
#define LOGIN_B "user12345"
#define PASSWORD_B "hunter2-secret"
#define CODE_B "123456"
#define TOKEN_B "gHjKlMnOpQrStUvWxYz"

static int failures = 0;

#define CHECK(cond)                                              \
  do {                                                           \
    if (!(cond)) {                                               \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                \
    }                                                            \
  } while (0)

static int same(const char *a, const char *b) { return a != NULL && b != NULL && strcmp(a, b) == 0; }

/* Prints the error (its message never holds secrets) and frees it. */
static void report(const char *what, plexauth_status status, plexauth_error *err) {
  fprintf(stderr, "%s: %s: %s\n", what, plexauth_status_name(status), plexauth_error_message(err));
  plexauth_error_free(err);
}

static plexauth_client *new_client(const char *plex_tv_url) {
  plexauth_config *cfg = NULL;
  plexauth_client *client = NULL;
  plexauth_retry *retry = NULL;
  plexauth_error *err = NULL;
  plexauth_status status;

  if (plexauth_config_new(&cfg) != PLEXAUTH_OK) return NULL;
  CHECK(plexauth_config_set_plex_tv_url(cfg, plex_tv_url) == PLEXAUTH_OK);
  CHECK(plexauth_config_set_client_id(cfg, "c99-test-3381b62b") == PLEXAUTH_OK);
  CHECK(plexauth_config_set_client_name(cfg, "plexauth C test") == PLEXAUTH_OK);
  CHECK(plexauth_config_set_client_version(cfg, PLEXAUTH_VERSION_STRING) == PLEXAUTH_OK);
  CHECK(plexauth_config_set_platform(cfg, "Linux") == PLEXAUTH_OK);
  CHECK(plexauth_config_set_device_nickname(cfg, "CI") == PLEXAUTH_OK);
  CHECK(plexauth_config_set_timeout_ms(cfg, 5000) == PLEXAUTH_OK);
  CHECK(plexauth_retry_new(&retry) == PLEXAUTH_OK);
  CHECK(plexauth_retry_set_max_attempts(retry, 2) == PLEXAUTH_OK);
  CHECK(plexauth_config_set_retry(cfg, retry) == PLEXAUTH_OK);
  plexauth_retry_free(retry);

  status = plexauth_client_new(&client, cfg, &err);
  plexauth_config_free(cfg); /* the client keeps its own copy */
  if (status != PLEXAUTH_OK) {
    report("plexauth_client_new", status, err);
    return NULL;
  }
  return client;
}

static void sign_in_without_2fa(plexauth_client *client) {
  plexauth_sign_in *req = NULL;
  plexauth_account *account = NULL;
  plexauth_error *err = NULL;
  plexauth_status status;
  int64_t id = 0;
  int two_factor = -1;

  CHECK(plexauth_sign_in_new(&req) == PLEXAUTH_OK);
  CHECK(plexauth_sign_in_set_login(req, LOGIN_A) == PLEXAUTH_OK);
  CHECK(plexauth_sign_in_set_password(req, PASSWORD_A) == PLEXAUTH_OK);

  status = plexauth_client_post_users_sign_in_data(&account, client, req, NULL, &err);
  plexauth_sign_in_free(req);
  if (status != PLEXAUTH_OK) {
    report("sign in as " LOGIN_A, status, err);
    ++failures;
    return;
  }
  CHECK(err == NULL);
  CHECK(same(plexauth_account_auth_token(account), TOKEN_A));
  CHECK(same(plexauth_account_email(account), "username@email.com"));
  CHECK(same(plexauth_account_username(account), "Username"));
  CHECK(same(plexauth_account_uuid(account), "dae343c1f45beb4f"));
  CHECK(same(plexauth_account_country(account), "US"));
  CHECK(plexauth_account_locale(account) == NULL);
  CHECK(plexauth_account_id(account, &id) == 1 && id == 13692262);
  CHECK(plexauth_account_two_factor_enabled(account, &two_factor) == 1 && two_factor == 0);
  CHECK(plexauth_account_past_subscriptions_count(account) == 1);
  CHECK(same(plexauth_past_subscription_state(plexauth_account_past_subscriptions_at(account, 0)), "ended"));
  CHECK(plexauth_account_trials_count(account) == 0);
  CHECK(plexauth_account_services_count(account) == 2);
  CHECK(plexauth_response_status(plexauth_account_response(account)) == 201);
  plexauth_account_free(account);
}

static void sign_in_with_2fa(plexauth_client *client) {
  plexauth_sign_in *req = NULL;
  plexauth_account *account = NULL;
  plexauth_error *err = NULL;
  plexauth_status status;
  int64_t code = 0;
  int64_t id = 0;

  CHECK(plexauth_sign_in_new(&req) == PLEXAUTH_OK);
  CHECK(plexauth_sign_in_set_login(req, LOGIN_B) == PLEXAUTH_OK);
  CHECK(plexauth_sign_in_set_password(req, PASSWORD_B) == PLEXAUTH_OK);

  /* First without the code: plex.tv asks for it. */
  status = plexauth_client_post_users_sign_in_data(&account, client, req, NULL, &err);
  CHECK(status == PLEXAUTH_E_TWO_FACTOR_REQUIRED);
  CHECK(account == NULL);
  CHECK(plexauth_error_status(err) == PLEXAUTH_E_TWO_FACTOR_REQUIRED);
  CHECK(plexauth_error_http_status(err) == 401);
  CHECK(plexauth_error_attempts(err) == 1);
  CHECK(plexauth_error_plex_errors_count(err) == 1);
  CHECK(plexauth_error_plex_error_code(err, 0, &code) == 1 && code == 1029);
  CHECK(same(plexauth_error_plex_error_message(err, 0), "Please enter the verification code"));
  plexauth_error_free(err);
  err = NULL;

  /* Then with the code the user typed. */
  CHECK(plexauth_sign_in_set_verification_code(req, CODE_B) == PLEXAUTH_OK);
  status = plexauth_client_post_users_sign_in_data(&account, client, req, NULL, &err);
  plexauth_sign_in_free(req);
  if (status != PLEXAUTH_OK) {
    report("sign in as " LOGIN_B " with the code", status, err);
    ++failures;
    return;
  }
  CHECK(same(plexauth_account_auth_token(account), TOKEN_B));
  CHECK(same(plexauth_account_uuid(account), "a1b2c3d4e5f67890"));
  CHECK(same(plexauth_account_country(account), "IT"));
  CHECK(plexauth_account_id(account, &id) == 1 && id == 475829302);
  plexauth_account_free(account);
}

static void wrong_password(plexauth_client *client) {
  plexauth_sign_in *req = NULL;
  plexauth_account *account = NULL;
  plexauth_error *err = NULL;

  CHECK(plexauth_sign_in_new(&req) == PLEXAUTH_OK);
  CHECK(plexauth_sign_in_set_login(req, LOGIN_A) == PLEXAUTH_OK);
  CHECK(plexauth_sign_in_set_password(req, "not-the-password") == PLEXAUTH_OK);
  CHECK(plexauth_client_post_users_sign_in_data(&account, client, req, NULL, &err) == PLEXAUTH_E_UNAUTHORIZED);
  CHECK(account == NULL);
  CHECK(strstr(plexauth_error_message(err), "not-the-password") == NULL);
  plexauth_error_free(err);
  plexauth_sign_in_free(req);
}

int main(int argc, char **argv) {
  plexauth_client *client;
  int major = -1;

  if (argc != 2) {
    fprintf(stderr, "usage: %s PLEX_TV_API_URL\n", argv[0]);
    return 2;
  }
  CHECK(same(plexauth_version(&major, NULL, NULL), PLEXAUTH_VERSION_STRING));
  CHECK(major == PLEXAUTH_VERSION_MAJOR);

  client = new_client(argv[1]);
  if (client == NULL) return 1;
  sign_in_without_2fa(client);
  sign_in_with_2fa(client);
  wrong_password(client);
  plexauth_client_free(client);

  if (failures != 0) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("ok\n");
  return 0;
}
