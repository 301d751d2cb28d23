#include <stdlib.h>

#include "bridge.h"
#include "_cgo_export.h"

static int token_provider_bridge(void *user_data, plexauth_token_sink *sink) {
  return plexauthGoTokenProvider((uintptr_t)user_data, sink);
}

static void log_bridge(void *user_data, plexauth_log_level level, const char *message) {
  plexauthGoLog((uintptr_t)user_data, (int)level, (char *)message);
}

plexauth_status plexauthgo_set_token_provider(plexauth_config *cfg, uintptr_t handle) {
  return plexauth_config_set_token_provider(cfg, token_provider_bridge, (void *)handle, NULL);
}

plexauth_status plexauthgo_set_log(plexauth_config *cfg, plexauth_log_level max_level, uintptr_t handle) {
  return plexauth_config_set_log(cfg, max_level, log_bridge, (void *)handle);
}

void plexauthgo_wipe_free(char *s) {
  if (s == NULL) return;
  for (volatile char *p = s; *p != '\0'; ++p) *p = '\0';
  free(s);
}
