/* The floor: a minimal libcurl loop sending the same requests plexauth sends
 * (URL, User-Agent, Accept-Encoding, Accept, identity headers, X-Plex-Token;
 * sign-in: the form body), on one easy handle (one keep-alive connection).
 * It checks the status and that a body arrived; it does not parse it. */
#include <curl/curl.h>
#include <plexauth/plexauth.h> /* PLEXAUTH_VERSION_STRING only */
#include <string.h>

#include "driver.h"
#include "identity.h"

struct raw {
  CURL *easy;
  struct curl_slist *get_headers;
  struct curl_slist *post_headers;
  char *user_url;
  char *sign_in_url;
  char *form;
  char *body;
  size_t len, cap;
};

static size_t on_body(char *data, size_t size, size_t n, void *user) {
  struct raw *r = user;
  const size_t add = size * n;
  if (r->len + add + 1 > r->cap) {
    size_t cap = r->cap ? r->cap : 4096;
    while (r->len + add + 1 > cap) cap *= 2;
    char *p = realloc(r->body, cap);
    if (p == NULL) return 0;
    r->body = p;
    r->cap = cap;
  }
  memcpy(r->body + r->len, data, add);
  r->len += add;
  return add;
}

static int perform(struct raw *r, long want) {
  long code = 0;
  r->len = 0;
  return curl_easy_perform(r->easy) == CURLE_OK && curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK &&
         code == want && r->len > 0;
}

static int token_details(void *ctx) {
  struct raw *r = ctx;
  curl_easy_setopt(r->easy, CURLOPT_HTTPGET, 1L);
  curl_easy_setopt(r->easy, CURLOPT_URL, r->user_url);
  curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->get_headers);
  return perform(r, 200);
}

static int sign_in(void *ctx) {
  struct raw *r = ctx;
  curl_easy_setopt(r->easy, CURLOPT_URL, r->sign_in_url);
  curl_easy_setopt(r->easy, CURLOPT_HTTPHEADER, r->post_headers);
  curl_easy_setopt(r->easy, CURLOPT_POSTFIELDS, r->form);
  return perform(r, 201);
}

static char *concat(const char *a, const char *b) {
  char *s = malloc(strlen(a) + strlen(b) + 1);
  if (s == NULL) bench_fail("out of memory");
  strcpy(s, a);
  strcat(s, b);
  return s;
}

static struct curl_slist *identity_headers(void) {
  struct curl_slist *h = curl_slist_append(NULL, "Accept: application/json");
  for (size_t i = 0; i < sizeof(kIdentity) / sizeof(kIdentity[0]); ++i) {
    char line[256];
    snprintf(line, sizeof line, "%s: %s", kIdentity[i].header, kIdentity[i].value);
    h = curl_slist_append(h, line);
  }
  return h;
}

int main(int argc, char **argv) {
  if (argc != 3) bench_fail("usage: raw_curl PLEX_TV_URL N");
  curl_global_init(CURL_GLOBAL_DEFAULT);
  struct raw r = {0};
  r.easy = curl_easy_init();
  if (r.easy == NULL) bench_fail("curl_easy_init");
  r.user_url = concat(argv[1], "/user");
  r.sign_in_url = concat(argv[1], "/users/signin");

  char *token_header = concat("X-Plex-Token: ", bench_env("PLEXAUTH_BENCH_TOKEN"));
  r.get_headers = curl_slist_append(identity_headers(), token_header);
  r.post_headers = curl_slist_append(identity_headers(), "Content-Type: application/x-www-form-urlencoded");
  r.post_headers = curl_slist_append(r.post_headers, "Expect:");

  char *login = curl_easy_escape(r.easy, bench_env("PLEXAUTH_BENCH_LOGIN"), 0);
  char *password = curl_easy_escape(r.easy, bench_env("PLEXAUTH_BENCH_PASSWORD"), 0);
  char *a = concat("login=", login);
  char *b = concat(a, "&password=");
  char *c = concat(b, password);
  r.form = concat(c, "&rememberMe=false");
  free(a);
  free(b);
  free(c);
  curl_free(login);
  curl_free(password);

  curl_easy_setopt(r.easy, CURLOPT_USERAGENT, "plexauth/" PLEXAUTH_VERSION_STRING);
  curl_easy_setopt(r.easy, CURLOPT_ACCEPT_ENCODING, "");
  curl_easy_setopt(r.easy, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(r.easy, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(r.easy, CURLOPT_WRITEDATA, &r);

  bench_run(argc, argv, token_details, sign_in, &r);

  curl_easy_cleanup(r.easy);
  curl_slist_free_all(r.get_headers);
  curl_slist_free_all(r.post_headers);
  free(r.user_url);
  free(r.sign_in_url);
  free(r.form);
  free(r.body);
  free(token_header);
  curl_global_cleanup();
  return 0;
}
