package plexauth

/*
#include <stdlib.h>
#include <plexauth/plexauth.h>
#include "bridge.h"
*/
import "C"

import (
	"context"
	"errors"
	"runtime/cgo"
	"time"
	"unsafe"
)

// The login journey: a stable device identity, the hosted login page's URL
// and waiting until the user approves a PIN.

// ClientIDLoadOrCreate returns this installation's stable client identifier
// (use it as Options.ClientID): the one stored in the file at path, or a new
// random UUIDv4 written there once (mode 0600, atomically; missing folders
// are created 0700), so that repeated runs never register new devices with
// plex.tv. path "" means $XDG_CONFIG_HOME/plexauth/client_id (or
// ~/.config/plexauth/client_id). A file that does not hold a client
// identifier is left untouched and gives an error matching
// ErrInvalidArgument. Safe for concurrent use, also across processes: every
// caller on one path gets the same identifier.
func ClientIDLoadOrCreate(path string) (string, error) {
	var cpath *C.char
	if path != "" {
		var err error
		if cpath, err = cString("path", path); err != nil {
			return "", err
		}
		defer C.free(unsafe.Pointer(cpath))
	}
	var buf [C.PLEXAUTH_CLIENT_ID_MAX]C.char
	var cerr *C.plexauth_error
	if st := C.plexauth_client_id_load_or_create(cpath, &buf[0], C.size_t(len(buf)), &cerr); st != C.PLEXAUTH_OK {
		return "", newError(st, cerr)
	}
	return C.GoString(&buf[0]), nil
}

// LoginURL returns the hosted login page for a PIN's code
// (https://app.plex.tv/auth#?clientID=..&code=..&context%5Bdevice%5D%5Bproduct%5D=..),
// with the client's ClientID and ClientName, every value percent-encoded.
// Use a strong PIN's code (CreatePIN(ctx, true)) and send the user there,
// then WaitForPIN. forwardURL ("" for none) must be an absolute http(s) URL:
// the page forwards there after the approval, without the token. The error
// matches ErrInvalidArgument when the client has no ClientID or forwardURL is
// not http(s).
func (c *Client) LoginURL(code, forwardURL string) (string, error) {
	ccode, err := cString("code", code)
	if err != nil {
		return "", err
	}
	defer C.free(unsafe.Pointer(ccode))
	var cforward *C.char
	if forwardURL != "" {
		if cforward, err = cString("forwardURL", forwardURL); err != nil {
			return "", err
		}
		defer C.free(unsafe.Pointer(cforward))
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return "", invalidArgument("the client is closed")
	}
	// Size negotiation: ask with a buffer that fits any usual URL; when it is
	// too small, *needed says how much to ask for.
	size := C.size_t(512)
	for attempt := 0; attempt < 2; attempt++ {
		buf := (*C.char)(C.malloc(size))
		if buf == nil {
			return "", &Error{Status: StatusOutOfMemory, Message: "cannot allocate the URL"}
		}
		var needed C.size_t
		var cerr *C.plexauth_error
		st := C.plexauth_login_url(c.ptr, ccode, cforward, buf, size, &needed, &cerr)
		if st == C.PLEXAUTH_OK {
			url := C.GoString(buf)
			C.free(unsafe.Pointer(buf))
			return url, nil
		}
		C.free(unsafe.Pointer(buf))
		if st == C.PLEXAUTH_E_INVALID_ARGUMENT && needed > size {
			C.plexauth_error_free(cerr)
			size = needed
			continue
		}
		return "", newError(st, cerr)
	}
	return "", &Error{Status: StatusInternal, Message: "the login URL kept growing"}
}

// WaitOptions tune WaitForPIN. The zero value polls every second until the
// PIN expires, without progress reports.
type WaitOptions struct {
	// PollInterval is the pause between polls: 0 means 1 s; otherwise
	// 100 ms .. 60 s.
	PollInterval time.Duration
	// Timeout ends the wait with an error matching ErrTimeout; 0 waits until
	// the PIN expires. (A context deadline works too, matching ErrCancelled
	// and context.DeadlineExceeded.)
	Timeout time.Duration
	// Progress, when set, is called before each pause between polls, on the
	// waiting goroutine, with the PIN's code and the time left until it
	// expires (negative when unknown). Returning an error stops the wait: it
	// then fails with an *Error matching ErrCancelled that wraps the returned
	// error (errors.Is works). A panic in Progress also stops the wait, which
	// fails with an error matching ErrCallback. Progress must not call back
	// into the same Client.
	Progress func(code string, left time.Duration) error
}

// WaitForPIN blocks until the user approves PIN id (at plex.tv/link or on
// the hosted login page, see LoginURL), polling GetPIN, and returns the PIN,
// whose AuthToken is the account's token. Poll from the client (the client
// identifier) that created the PIN. Errors match ErrPINExpired (plex.tv says
// so, or its ExpiresAt passed), ErrTimeout (w.Timeout passed), ErrCancelled
// (ctx is done, within ~100 ms even mid-pause, or Progress stopped the
// wait), ErrCallback (Progress panicked), or a poll's own error after its
// retries.
func (c *Client) WaitForPIN(ctx context.Context, id int64, w WaitOptions, opts ...CallOption) (*Pin, error) {
	return c.waitPIN(ctx, w, opts, func(cl *C.plexauth_client, out **C.plexauth_pin, poll, timeout C.int64_t,
		handle C.uintptr_t, o *C.plexauth_call_options, e **C.plexauth_error) C.plexauth_status {
		return C.plexauthgo_wait_for_pin(out, cl, C.int64_t(id), poll, timeout, handle, o, e)
	})
}

// waitFunc runs one blocking C wait for a PIN with the Go progress callback
// identified by handle (0: none).
type waitFunc func(cl *C.plexauth_client, out **C.plexauth_pin, poll, timeout C.int64_t, handle C.uintptr_t,
	o *C.plexauth_call_options, e **C.plexauth_error) C.plexauth_status

// waitPIN is WaitForPIN's work for any C wait: the options checked and
// converted, the progress callback bridged, its error or panic put in the
// *Error.
func (c *Client) waitPIN(ctx context.Context, w WaitOptions, opts []CallOption, wait waitFunc) (*Pin, error) {
	if w.PollInterval < 0 {
		return nil, invalidArgument("invalid WaitOptions.PollInterval")
	}
	if w.Timeout < 0 {
		return nil, invalidArgument("invalid WaitOptions.Timeout")
	}
	var poll, timeout C.int64_t
	if w.PollInterval > 0 {
		poll = millis(w.PollInterval)
	}
	if w.Timeout > 0 {
		timeout = millis(w.Timeout)
	}
	var progress *pinProgress
	var handle C.uintptr_t
	if w.Progress != nil {
		progress = &pinProgress{fn: w.Progress}
		h := cgo.NewHandle(progress)
		defer h.Delete() // after the call: C no longer holds it
		handle = C.uintptr_t(h)
	}
	var out *C.plexauth_pin
	err := c.call(ctx, collect(opts), func(cl *C.plexauth_client, o *C.plexauth_call_options, e **C.plexauth_error) C.plexauth_status {
		return wait(cl, &out, poll, timeout, handle, o, e)
	})
	if err != nil {
		var e *Error
		if progress != nil && progress.err != nil && errors.As(err, &e) && e.Status == StatusCancelled && e.cause == nil {
			e.cause = progress.err
			if progress.panicked {
				e.Status = StatusCallback
				e.Message = "the progress callback panicked"
			} else {
				e.Message = "the progress callback stopped the wait: " + progress.err.Error()
			}
		}
		return nil, err
	}
	return readPin(out)
}
