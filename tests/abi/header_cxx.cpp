// The header must also compile cleanly as C++ (extern "C" linkage).
#include <plexauth/plexauth.h>

int plexauth_header_cxx_probe();
int plexauth_header_cxx_probe() { return static_cast<int>(PLEXAUTH_E_INTERNAL); }
