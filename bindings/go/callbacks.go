package plexauth

/*
#include <plexauth/plexauth.h>
*/
import "C"

import (
	"fmt"
	"runtime/cgo"
	"time"
	"unsafe"
)

// The C library calls these through bridge.c. user_data is a cgo.Handle, so
// no Go pointer is ever kept in C memory. A panic must not unwind through C
// frames, so each trampoline recovers.

//export plexauthGoTokenProvider
func plexauthGoTokenProvider(handle C.uintptr_t, sink *C.plexauth_token_sink) (rc C.int) {
	defer func() {
		if recover() != nil {
			rc = 1
		}
	}()
	provider := cgo.Handle(handle).Value().(func() (string, error))
	token, err := provider()
	if err != nil {
		return 1
	}
	if token == "" {
		return 0 // no X-Plex-Token header
	}
	// The sink copies len bytes; Go string memory holds no Go pointers, so it
	// may be passed directly (and no unwiped C copy of the token is made).
	p := (*C.char)(unsafe.Pointer(unsafe.StringData(token)))
	if C.plexauth_token_sink_set(sink, p, C.size_t(len(token))) != C.PLEXAUTH_OK {
		return 1
	}
	return 0
}

//export plexauthGoLog
func plexauthGoLog(handle C.uintptr_t, level C.int, message *C.char) {
	defer func() { _ = recover() }()
	logger := cgo.Handle(handle).Value().(func(LogLevel, string))
	logger(LogLevel(level), C.GoString(message))
}

// plexauthGoCallDone is the completion callback of a non-blocking call
// (client.go, start): it runs once on the library's loop thread and wakes the
// goroutine waiting for the call by closing its channel.
//
//export plexauthGoCallDone
func plexauthGoCallDone(handle C.uintptr_t) {
	defer func() { _ = recover() }()
	close(cgo.Handle(handle).Value().(chan struct{}))
}

// pinProgress is the state of one WaitForPIN's progress callback. The
// callback runs on the goroutine that made the (blocking) C call, so the
// fields need no lock.
type pinProgress struct {
	fn       func(code string, left time.Duration) error
	err      error // what fn returned, or its panic: the wait stopped
	panicked bool
}

//export plexauthGoPINProgress
func plexauthGoPINProgress(handle C.uintptr_t, code *C.char, secondsLeft C.int64_t) (rc C.int) {
	p := cgo.Handle(handle).Value().(*pinProgress)
	defer func() {
		if r := recover(); r != nil {
			p.err, p.panicked = fmt.Errorf("plexauth: the WaitForPIN progress callback panicked: %v", r), true
			rc = 1
		}
	}()
	left := time.Duration(-1)
	if secondsLeft >= 0 {
		left = time.Duration(secondsLeft) * time.Second
	}
	if err := p.fn(C.GoString(code), left); err != nil {
		p.err = err
		return 1
	}
	return 0
}
