/* Shared by the C drivers of bench/compare: the workload and its report.
 *
 *   <driver> PLEX_TV_URL N
 *   environment: PLEXAUTH_BENCH_TOKEN, PLEXAUTH_BENCH_LOGIN, PLEXAUTH_BENCH_PASSWORD
 *                (secrets never go in argv)
 *
 * One get_token_details (opens the connection; its completion is the "first
 * result" of the cold-start time), then N timed get_token_details on the same
 * keep-alive connection, then one sign-in. Prints one JSON line:
 *   {"first_ns":<unix ns>,"elapsed_ns":..,"sign_in_ns":..,"lat_ns":[..]}
 */
#ifndef BENCH_DRIVER_H
#define BENCH_DRIVER_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int64_t bench_now(clockid_t clock) {
  struct timespec ts;
  clock_gettime(clock, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static const char *bench_env(const char *name) {
  const char *v = getenv(name);
  if (v == NULL || *v == '\0') {
    fprintf(stderr, "%s is not set\n", name);
    exit(2);
  }
  return v;
}

static void bench_fail(const char *what) {
  fprintf(stderr, "driver failed: %s\n", what);
  exit(1);
}

typedef int (*bench_call_fn)(void *ctx); /* 1 = ok */

/* Runs the workload and prints the report. */
static void bench_run(int argc, char **argv, bench_call_fn token_details, bench_call_fn sign_in, void *ctx) {
  if (argc != 3) bench_fail("usage: driver PLEX_TV_URL N");
  const long n = strtol(argv[2], NULL, 10);
  if (n <= 0) bench_fail("N must be positive");
  int64_t *lat = malloc(sizeof(int64_t) * (size_t)n);
  if (lat == NULL) bench_fail("out of memory");

  if (!token_details(ctx)) bench_fail("first get_token_details");
  const int64_t first = bench_now(CLOCK_REALTIME);

  const int64_t start = bench_now(CLOCK_MONOTONIC);
  int64_t t = start;
  for (long i = 0; i < n; ++i) {
    if (!token_details(ctx)) bench_fail("get_token_details");
    const int64_t now = bench_now(CLOCK_MONOTONIC);
    lat[i] = now - t;
    t = now;
  }
  const int64_t elapsed = t - start;

  const int64_t s0 = bench_now(CLOCK_MONOTONIC);
  if (!sign_in(ctx)) bench_fail("sign-in");
  const int64_t sign_in_ns = bench_now(CLOCK_MONOTONIC) - s0;

  printf("{\"first_ns\":%lld,\"elapsed_ns\":%lld,\"sign_in_ns\":%lld,\"lat_ns\":[", (long long)first,
         (long long)elapsed, (long long)sign_in_ns);
  for (long i = 0; i < n; ++i) printf(i ? ",%lld" : "%lld", (long long)lat[i]);
  printf("]}\n");
  free(lat);
}

#endif
