//go:build plexauth_static

package plexauth

// The static archive, found by pkg-config (plexauth-static.pc, installed when
// the library is built with -DPLEXAUTH_BUILD_STATIC=ON): it names
// libplexauth.a itself and the libraries it needs (libcurl, the C++ runtime),
// so the program has no run-time dependency on libplexauth.so.

/*
#cgo pkg-config: plexauth-static
*/
import "C"
