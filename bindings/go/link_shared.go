//go:build !plexauth_static

package plexauth

// The shared library, found by pkg-config (plexauth.pc). The program loads
// libplexauth.so at run time: install it where the loader looks (e.g.
// /usr/local/lib, then ldconfig), or build with -tags plexauth_static.

/*
#cgo pkg-config: plexauth
*/
import "C"
