/*
 * Many calls on one thread with the non-blocking API, as docs/guide-c.md shows
 * it (regions between [name] / [end] are quoted verbatim; tests/docs runs this
 * program against plexauth-fake).
 *
 *   PLEX_TV_URL   the plex.tv API base, e.g. http://127.0.0.1:PORT/api/v2
 * The token to check comes from standard input (never from argv).
 */
#include <plexauth/plexauth.h>

#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CALLS 16

/* [callback] */
/* Runs inside plexauth_loop_process(), on the thread that drives the loop. */
static void on_done(plexauth_call *call, void *user_data) {
  int *completed = user_data;
  plexauth_account *account = NULL;
  plexauth_error *err = NULL;
  plexauth_status st = plexauth_client_get_token_details_finish(&account, call, &err);
  if (st == PLEXAUTH_OK) {
    ++*completed;
  } else {
    fprintf(stderr, "call failed: %s: %s\n", plexauth_status_name(st), plexauth_error_message(err));
  }
  plexauth_account_free(account);
  plexauth_error_free(err);
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
  plexauth_config_set_plex_tv_url(cfg, plex_tv);
  plexauth_config_set_access_token(cfg, token);
  plexauth_config_set_client_id(cfg, "3381b62b-9ab7-4e37-827b-203e9809eb58");
  plexauth_config_set_client_name(cfg, "plexauth guide");
  if (plexauth_client_new(&client, cfg, NULL) != PLEXAUTH_OK) return 1;
  plexauth_config_free(cfg);

  /* [external_loop] */
  /* A loop the program drives itself: no library thread; everything, the
   * callbacks included, runs inside plexauth_loop_process(). */
  plexauth_loop *loop = NULL;
  plexauth_call *calls[CALLS] = {NULL};
  int completed = 0;
  plexauth_loop_new(&loop, PLEXAUTH_LOOP_EXTERNAL, NULL);
  for (int i = 0; i < CALLS; ++i)
    plexauth_client_get_token_details_start(&calls[i], client, NULL, loop, on_done, &completed, NULL);
  while (plexauth_loop_pending(loop) > 0) {
    /* Any event loop works the same way: watch the descriptor, honour the timeout. */
    struct pollfd p = {plexauth_loop_fd(loop), POLLIN, 0};
    int64_t timeout = plexauth_loop_timeout_ms(loop);
    poll(&p, 1, timeout < 0 || timeout > 1000 ? 1000 : (int)timeout);
    plexauth_loop_process(loop, NULL);
  }
  printf("external loop: %d of %d calls completed\n", completed, CALLS);
  for (int i = 0; i < CALLS; ++i) plexauth_call_free(calls[i]);
  plexauth_loop_free(loop);
  /* [end] */

  /* [own_thread] */
  /* The client's own loop thread (loop NULL): start, then wait for one call. */
  plexauth_call *call = NULL;
  plexauth_account *account = NULL;
  plexauth_client_get_token_details_start(&call, client, NULL, NULL, NULL, NULL, NULL);
  plexauth_call_wait(call, 10000, NULL);
  if (plexauth_client_get_token_details_finish(&account, call, NULL) == PLEXAUTH_OK)
    printf("own thread: signed in as %s\n", plexauth_account_username(account));
  plexauth_account_free(account);
  plexauth_call_free(call);
  /* [end] */

  plexauth_client_free(client);
  return completed == CALLS ? 0 : 1;
}
