/* Compiled with -std=c99 -Wall -Wextra -pedantic -Werror: the header must stay plain C99. */
#include <plexauth/plexauth.h>

int plexauth_header_c99_probe(void);
int plexauth_header_c99_probe(void) {
  plexauth_status s = PLEXAUTH_OK;
  return (int)s + PLEXAUTH_VERSION_NUMBER;
}
