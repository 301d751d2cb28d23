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

// keyStoreCall is the state of one LoadOrCreateDeviceKeyWith or SaveWith:
// the store, and the error (or panic) of the first of its methods that
// failed. The callbacks run on the goroutine that made the (blocking) C
// call, so the fields need no lock.
type keyStoreCall struct {
	store    KeyStore
	method   string // the method that failed: "ReadKey" or "WriteKey"
	err      error
	panicked bool
}

func (s *keyStoreCall) fail(method string, err error, panicked bool) C.int {
	s.method, s.err, s.panicked = method, err, panicked
	return 1
}

//export plexauthGoKeyStoreRead
func plexauthGoKeyStoreRead(handle C.uintptr_t, sink *C.plexauth_key_sink) (rc C.int) {
	s := cgo.Handle(handle).Value().(*keyStoreCall)
	defer func() {
		if r := recover(); r != nil {
			rc = s.fail("ReadKey", fmt.Errorf("plexauth: the KeyStore's ReadKey panicked: %v", r), true)
		}
	}()
	pem, err := s.store.ReadKey()
	if err != nil {
		return s.fail("ReadKey", err, false)
	}
	if pem == nil {
		return 0 // no key stored yet
	}
	// The sink copies len bytes; a []byte holds no Go pointers, so it may be
	// passed directly (no unwiped C copy is made). An empty text is handed
	// over too: the library then finds it is not a key.
	var empty [1]byte
	p := &empty[0]
	if len(pem) > 0 {
		p = &pem[0]
	}
	// A refused text (a NUL, over 64 KiB, not UTF-8) fails the call in the library.
	C.plexauth_key_sink_set(sink, (*C.char)(unsafe.Pointer(p)), C.size_t(len(pem)))
	return 0
}

//export plexauthGoKeyStoreWrite
func plexauthGoKeyStoreWrite(handle C.uintptr_t, pem *C.char, n C.size_t) (rc C.int) {
	s := cgo.Handle(handle).Value().(*keyStoreCall)
	defer func() {
		if r := recover(); r != nil {
			rc = s.fail("WriteKey", fmt.Errorf("plexauth: the KeyStore's WriteKey panicked: %v", r), true)
		}
	}()
	b := C.GoBytes(unsafe.Pointer(pem), C.int(n))
	defer wipeBytes(b) // as io.Writer: WriteKey must not retain it
	if err := s.store.WriteKey(b); err != nil {
		return s.fail("WriteKey", err, false)
	}
	return 0
}

// wipeBytes overwrites b with zeros.
func wipeBytes(b []byte) {
	for i := range b {
		b[i] = 0
	}
}
