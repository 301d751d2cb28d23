/* C side of the Go binding: the callback bridges and a wiping free.
 * Callbacks receive a runtime/cgo Handle as their user_data; no Go pointer is
 * ever stored in C memory. */
#ifndef PLEXAUTH_GO_BRIDGE_H
#define PLEXAUTH_GO_BRIDGE_H

#include <stdint.h>
#include <plexauth/plexauth.h>

/* Installs the Go token provider identified by handle on cfg. The Go side
 * owns the handle and deletes it after the last config/client is freed. */
plexauth_status plexauthgo_set_token_provider(plexauth_config *cfg, uintptr_t handle);
/* Installs the Go log sink identified by handle on cfg. */
plexauth_status plexauthgo_set_log(plexauth_config *cfg, plexauth_log_level max_level, uintptr_t handle);
/* Overwrites a NUL-terminated string with zeros, then frees it. NULL is fine. */
void plexauthgo_wipe_free(char *s);

#endif
