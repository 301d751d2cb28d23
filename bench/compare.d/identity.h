/* The identity every driver sends (the seed spec's example values). */
#ifndef BENCH_IDENTITY_H
#define BENCH_IDENTITY_H

static const struct {
  const char *header;
  const char *value;
} kIdentity[] = {
    {"X-Plex-Client-Identifier", "3381b62b-9ab7-4e37-827b-203e9809eb58"},
    {"X-Plex-Product", "Plex for Roku"},
    {"X-Plex-Version", "2.4.1"},
    {"X-Plex-Platform", "Roku"},
    {"X-Plex-Device", "Roku 3"},
    /* plexauth sends the host name when none is set: the raw loop sends one too. */
    {"X-Plex-Device-Name", "bench-host"},
};

#endif
