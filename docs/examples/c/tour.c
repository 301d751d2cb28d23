/*
 * Every plexauth flow in C, as docs/guide-c.md shows it (the guide includes the
 * regions between the [name] / [end] markers verbatim; tests/docs checks that
 * and runs this program against plexauth-fake).
 *
 * Servers come from the environment, always named explicitly:
 *   PLEX_SERVER   the PMS base URL, e.g. http://127.0.0.1:32400
 *   PLEX_TV_URL   the plex.tv API base, e.g. https://plex.tv/api/v2
 *   PLEXAUTH_CLIENT_ID_FILE  where the device identity is kept (optional)
 * Secrets come from standard input, one per line: the password, the 2FA code,
 * the Home user's PIN. Never from argv.
 */
#include <plexauth/plexauth.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LOGIN "user12345"             /* an account with 2FA */
#define SOURCE "server://3381b62b9ab74e37"
#define HOME_USER "homeuser0000uuid"  /* a protected Plex Home user */

static int read_line(char *buf, size_t size) {
  if (!fgets(buf, (int)size, stdin)) return 0;
  buf[strcspn(buf, "\r\n")] = '\0';
  return 1;
}

/* Prints a failed call (messages never contain secrets) and frees the error. */
static int fail(const char *what, plexauth_status st, plexauth_error *err) {
  fprintf(stderr, "%s: %s (HTTP %d, %u attempts): %s\n", what, plexauth_status_name(st),
          plexauth_error_http_status(err), plexauth_error_attempts(err), plexauth_error_message(err));
  plexauth_error_free(err);
  return 1;
}

/* [progress] */
static int show_code(void *user_data, const char *code, int64_t seconds_left) {
  (void)user_data;
  printf("waiting for code %s to be approved (%lld s left)\n", code, (long long)seconds_left);
  fflush(stdout);
  return 0; /* non-zero stops the wait (PLEXAUTH_E_CANCELLED) */
}
/* [end] */

int main(void) {
  char password[256], code[64], home_pin[64];
  char token[256], admin_token[256];
  const char *pms = getenv("PLEX_SERVER"), *plex_tv = getenv("PLEX_TV_URL");
  if (!pms || !plex_tv) {
    fprintf(stderr, "set PLEX_SERVER and PLEX_TV_URL\n");
    return 2;
  }

  /* [setup] */
  char client_id[PLEXAUTH_CLIENT_ID_MAX];
  plexauth_config *cfg = NULL;
  plexauth_retry *retry = NULL;
  plexauth_client *client = NULL;
  plexauth_error *err = NULL;
  plexauth_status st;

  /* One stable identity per installation: plex.tv lists it as one device. */
  st = plexauth_client_id_load_or_create(getenv("PLEXAUTH_CLIENT_ID_FILE"), client_id, sizeof client_id, &err);
  if (st != PLEXAUTH_OK) return fail("client id", st, err);

  plexauth_config_new(&cfg);
  plexauth_config_set_client_id(cfg, client_id);
  plexauth_config_set_client_name(cfg, "My Plex Tool");
  plexauth_config_set_client_version(cfg, "1.0");
  plexauth_config_set_platform(cfg, "Linux");
  plexauth_config_set_server_url(cfg, pms);      /* always name your server */
  plexauth_config_set_plex_tv_url(cfg, plex_tv);
  plexauth_config_set_connect_timeout_ms(cfg, 3000);
  plexauth_config_set_timeout_ms(cfg, 10000);     /* per attempt */
  plexauth_retry_new(&retry);                     /* 500 ms, x1.5, capped at 60 s ... */
  plexauth_retry_set_max_attempts(retry, 3);      /* ... but at most 3 attempts */
  plexauth_retry_set_max_elapsed_ms(retry, 20000);
  plexauth_config_set_retry(cfg, retry);          /* copied */
  plexauth_retry_free(retry);
  st = plexauth_client_new(&client, cfg, &err);
  plexauth_config_free(cfg);                      /* the client keeps a copy */
  if (st != PLEXAUTH_OK) return fail("client", st, err);
  /* [end] */

  if (!read_line(password, sizeof password) || !read_line(code, sizeof code) ||
      !read_line(home_pin, sizeof home_pin)) {
    fprintf(stderr, "expected the password, the 2FA code and the Home PIN on stdin\n");
    return 2;
  }

  {
    /* [sign_in] */
    plexauth_sign_in *req = NULL;
    plexauth_account *account = NULL;
    plexauth_sign_in_new(&req);
    plexauth_sign_in_set_login(req, LOGIN);
    plexauth_sign_in_set_password(req, password);
    st = plexauth_client_post_users_sign_in_data(&account, client, req, NULL, &err);
    if (st == PLEXAUTH_E_TWO_FACTOR_REQUIRED) {   /* ask for the code, sign in again */
      plexauth_error_free(err);
      plexauth_sign_in_set_verification_code(req, code);
      st = plexauth_client_post_users_sign_in_data(&account, client, req, NULL, &err);
    }
    plexauth_sign_in_free(req);                   /* wipes the password and the code */
    if (st != PLEXAUTH_OK) return fail("sign-in", st, err);
    printf("signed in as %s\n", plexauth_account_username(account));
    snprintf(token, sizeof token, "%s", plexauth_account_auth_token(account)); /* store it safely */
    plexauth_account_free(account);
    /* [end] */
  }

  {
    /* [token] */
    plexauth_call_options *as_user = NULL;
    plexauth_account *me = NULL;
    plexauth_pong *pong = NULL;
    int active = 0, ok = 0;
    plexauth_call_options_new(&as_user);
    plexauth_call_options_set_access_token(as_user, token); /* this call's token only */
    st = plexauth_client_get_token_details(&me, client, as_user, &err);
    if (st != PLEXAUTH_OK) return fail("token details", st, err);
    plexauth_subscription_active(plexauth_account_subscription(me), &active);
    printf("token details: %s <%s>, Plex Pass %s\n", plexauth_account_username(me),
           plexauth_account_email(me), active ? "active" : "inactive");
    plexauth_account_free(me);

    st = plexauth_client_ping(&pong, client, as_user, &err); /* keeps the token alive */
    if (st != PLEXAUTH_OK) return fail("ping", st, err);
    plexauth_pong_pong(pong, &ok);
    printf("ping: %s\n", ok ? "pong" : "no pong");
    plexauth_pong_free(pong);
    plexauth_call_options_free(as_user);
    /* [end] */
  }

  {
    /* [pms] */
    plexauth_call_options *as_user = NULL;
    plexauth_transient_token *transient = NULL;
    plexauth_source_info *source = NULL;
    size_t i;
    plexauth_call_options_new(&as_user);
    plexauth_call_options_set_access_token(as_user, token);
    st = plexauth_client_get_transient_token(&transient, client, NULL, NULL, as_user, &err);
    if (st != PLEXAUTH_OK) return fail("transient token", st, err);
    printf("transient token: %s\n", plexauth_transient_token_token(transient) ? "received" : "none");
    plexauth_transient_token_free(transient);

    st = plexauth_client_get_source_connection_information(&source, client, SOURCE, as_user, &err);
    if (st != PLEXAUTH_OK) return fail("source info", st, err);
    printf("source %s:", plexauth_source_info_name(source));
    for (i = 0; i < plexauth_source_info_connections_count(source); ++i) {
      const plexauth_connection *c = plexauth_source_info_connections_at(source, i);
      int local = 0;
      plexauth_connection_local(c, &local);
      printf(" %s%s", plexauth_connection_uri(c), local ? " (local)" : "");
    }
    printf("\n");
    plexauth_source_info_free(source);
    plexauth_call_options_free(as_user);
    /* [end] */
  }

  {
    /* [pin_login] */
    plexauth_pin *pin = NULL, *approved = NULL;
    int64_t id = 0;
    char url[1024];
    st = plexauth_client_create_pin(&pin, client, 1 /* strong: for the hosted page */, NULL, &err);
    if (st != PLEXAUTH_OK) return fail("create PIN", st, err);
    plexauth_pin_id(pin, &id);
    st = plexauth_login_url(client, plexauth_pin_code(pin), NULL, url, sizeof url, NULL, &err);
    if (st != PLEXAUTH_OK) return fail("login URL", st, err);
    printf("open %.34s... in a browser\n", url);   /* https://app.plex.tv/auth#?clientID=... */
    plexauth_pin_free(pin);

    st = plexauth_client_wait_for_pin(&approved, client, id, 200 /* ms between polls */,
                                      60000 /* give up after a minute */, show_code, NULL, NULL, &err);
    if (st != PLEXAUTH_OK) return fail("PIN login", st, err);  /* PIN_EXPIRED, TIMEOUT, CANCELLED ... */
    snprintf(admin_token, sizeof admin_token, "%s", plexauth_pin_auth_token(approved));
    printf("PIN approved\n");
    plexauth_pin_free(approved);
    /* [end] */
  }

  {
    /* [home] */
    plexauth_call_options *as_admin = NULL;
    plexauth_account *kid = NULL;
    plexauth_call_options_new(&as_admin);
    plexauth_call_options_set_access_token(as_admin, admin_token);
    st = plexauth_client_switch_home_user(&kid, client, HOME_USER, NULL, as_admin, &err);
    if (st == PLEXAUTH_E_PIN_REQUIRED) {           /* a protected user: ask for the PIN */
      plexauth_error_free(err);
      st = plexauth_client_switch_home_user(&kid, client, HOME_USER, home_pin, as_admin, &err);
    }
    if (st != PLEXAUTH_OK) return fail("switch user", st, err);
    printf("switched to %s\n", plexauth_account_title(kid));  /* its own token: auth_token */
    plexauth_account_free(kid);
    plexauth_call_options_free(as_admin);
    /* [end] */
  }

  {
    /* [errors] */
    plexauth_call_options *opts = NULL;
    plexauth_pong *pong = NULL;
    plexauth_call_options_new(&opts);
    plexauth_call_options_set_access_token(opts, "revokedTokenXXXXXXXX");
    plexauth_call_options_set_retry(opts, NULL);     /* this call: no retries */
    plexauth_call_options_set_timeout_ms(opts, 5000);
    st = plexauth_client_ping(&pong, client, opts, &err);
    if (st == PLEXAUTH_E_UNAUTHORIZED) {             /* switch on the status, never on text */
      int64_t plex_code = 0;
      plexauth_error_plex_error_code(err, 0, &plex_code);
      printf("refused: %s, HTTP %d, Plex code %lld\n", plexauth_status_name(st),
             plexauth_error_http_status(err), (long long)plex_code);
    }
    plexauth_error_free(err);
    err = NULL;
    plexauth_pong_free(pong);
    plexauth_call_options_free(opts);
    /* [end] */
  }

  {
    /* [sign_out] */
    plexauth_call_options *as_user = NULL;
    plexauth_call_options_new(&as_user);
    plexauth_call_options_set_access_token(as_user, token);
    st = plexauth_client_sign_out(client, as_user, &err);  /* plex.tv invalidates the token */
    plexauth_call_options_free(as_user);
    if (st != PLEXAUTH_OK) return fail("sign-out", st, err);
    printf("signed out\n");
    /* [end] */
  }

  plexauth_client_free(client);
  return 0;
}
