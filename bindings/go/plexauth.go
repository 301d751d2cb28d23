// Package plexauth is a Go binding for libplexauth, a native library for Plex
// authentication (sign-in with 2FA, PIN login, linking codes, signing out,
// switching Plex Home users, token details, transient tokens, source
// connection information, the account's servers and a fast connection to one
// of them: Client.Connect; JWT device authentication: DeviceKey, JWTLogin,
// JWTSession) with a stable C ABI.
//
// The package uses cgo and finds the library through pkg-config: package
// "plexauth" (libplexauth.so, linked dynamically), or with the build tag
// plexauth_static package "plexauth-static" (libplexauth.a, linked into the
// program, which then needs no libplexauth.so at run time). A Client is safe for concurrent use by many goroutines. Every
// operation takes a context.Context; cancelling it (or its deadline passing)
// interrupts the call promptly, whether it is mid-transfer or waiting to retry.
//
// Errors are *Error values that match the sentinels ErrUnauthorized,
// ErrTwoFactorRequired, ... with errors.Is, and carry the HTTP status, Plex's
// errors[] entries, Retry-After and the attempt count (errors.As).
package plexauth

/*
#include <stdlib.h>
#include <plexauth/plexauth.h>
#include "bridge.h"
*/
import "C"

import (
	"strings"
	"time"
	"unsafe"
)

// Version returns the version of the libplexauth actually loaded, e.g. "0.1.0".
func Version() string {
	return C.GoString(C.plexauth_version(nil, nil, nil))
}

// LogLevel is the severity of a log message passed to Options.Logger.
type LogLevel int

// Log levels, from the most to the least severe.
const (
	LogError LogLevel = C.PLEXAUTH_LOG_ERROR
	LogWarn  LogLevel = C.PLEXAUTH_LOG_WARN
	LogInfo  LogLevel = C.PLEXAUTH_LOG_INFO
	LogDebug LogLevel = C.PLEXAUTH_LOG_DEBUG
)

func (l LogLevel) String() string {
	switch l {
	case LogError:
		return "error"
	case LogWarn:
		return "warn"
	case LogInfo:
		return "info"
	case LogDebug:
		return "debug"
	}
	return "unknown"
}

// NoLimit, used as a timeout, disables that limit.
const NoLimit time.Duration = -1

// millis converts a positive duration to whole milliseconds, rounding up so
// that a tiny positive duration never becomes "no limit".
func millis(d time.Duration) C.int64_t {
	return C.int64_t((d + time.Millisecond - 1) / time.Millisecond)
}

// cString copies s into C memory. It refuses strings holding a NUL byte,
// which C would silently truncate. The caller frees the result.
func cString(what, s string) (*C.char, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, invalidArgument(what + " contains a NUL byte")
	}
	return C.CString(s), nil
}

// setString passes s to a C setter; an empty s leaves the setting alone.
// Secret values are wiped from the temporary C copy afterwards.
func setString(what, s string, secret bool, set func(*C.char) C.plexauth_status) error {
	if s == "" {
		return nil
	}
	cs, err := cString(what, s)
	if err != nil {
		return err
	}
	if secret {
		defer C.plexauthgo_wipe_free(cs)
	} else {
		defer C.free(unsafe.Pointer(cs))
	}
	return checkSetter(what, set(cs))
}

// checkSetter turns the status of a setter (which has no error object) into
// an *Error. The value itself is never quoted: it may be a secret.
func checkSetter(what string, st C.plexauth_status) error {
	if st == C.PLEXAUTH_OK {
		return nil
	}
	return &Error{Status: Status(st), Message: "invalid " + what}
}

// goBytes copies n bytes at p; NULL gives nil.
func goBytes(p *C.char, n C.size_t) []byte {
	if p == nil {
		return nil
	}
	out := make([]byte, int(n))
	copy(out, unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n)))
	return out
}

// cBool converts a Go bool to the 0/1 int the C API takes.
func cBool(b bool) C.int {
	if b {
		return 1
	}
	return 0
}
