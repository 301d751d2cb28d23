package plexauth

/*
#include <stdlib.h>
#include <plexauth/plexauth.h>
#include "bridge.h"
#include "bridge_gen.h"
*/
import "C"

import (
	"context"
	"runtime"
	"runtime/cgo"
	"sync"
	"sync/atomic"
	"unsafe"
)

// Client performs Plex authentication calls. It holds a snapshot of its
// Options and a pool of keep-alive connections. It is safe for concurrent use
// by many goroutines. Close it when done.
type Client struct {
	mu      sync.RWMutex // held for reading by each call, for writing by Close
	ptr     *C.plexauth_client
	handles []cgo.Handle // callbacks referenced by ptr

	// JWT sessions (jwt.go). sessions are the ones this client's calls get
	// their token from (Options.JWTSession): released once ptr is freed.
	// deps counts the live sessions that refresh through this client; while
	// there are any, Close only hides the client (kept holds the C client,
	// freed by the last session's release).
	sessions []*JWTSession
	deps     atomic.Int32
	kept     *C.plexauth_client
}

// NewClient creates a client. Invalid options give an *Error matching
// ErrInvalidArgument; the message names the option, never its value.
func NewClient(o Options) (*Client, error) {
	var cfg *C.plexauth_config
	if st := C.plexauth_config_new(&cfg); st != C.PLEXAUTH_OK {
		return nil, &Error{Status: Status(st), Message: "cannot create a config"}
	}
	defer C.plexauth_config_free(cfg)
	c := &Client{}
	if err := o.apply(cfg, &c.handles, &c.sessions); err != nil {
		c.release() // cfg, which refers to them, is not used again
		return nil, err
	}
	var cerr *C.plexauth_error
	if st := C.plexauth_client_new(&c.ptr, cfg, &cerr); st != C.PLEXAUTH_OK {
		c.release()
		return nil, newError(st, cerr)
	}
	runtime.SetFinalizer(c, (*Client).Close)
	return c, nil
}

// Close waits for the calls in progress, then frees the client. Calls made
// after Close fail with ErrInvalidArgument. Close is idempotent. A client
// that a JWTSession refreshes through is freed when the last such session
// is closed.
func (c *Client) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ptr != nil {
		runtime.SetFinalizer(c, nil)
		if c.deps.Load() > 0 {
			c.kept, c.ptr = c.ptr, nil
			return nil
		}
		C.plexauth_client_free(c.ptr)
		c.ptr = nil
		c.release()
	}
	return nil
}

// release drops what the freed C client referred to: the callback handles
// and the JWT sessions it took its token from.
func (c *Client) release() {
	for _, h := range c.handles {
		h.Delete()
	}
	c.handles = nil
	for _, s := range c.sessions {
		s.releaseUser()
	}
	c.sessions = nil
}

// releaseDep is called when a JWTSession refreshing through c is freed: the
// last one frees a client closed meanwhile.
func (c *Client) releaseDep() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.deps.Add(-1) == 0 && c.kept != nil {
		C.plexauth_client_free(c.kept)
		c.kept = nil
		c.release()
	}
}

// noOptions is what calls without per-call options get; never modified.
var noOptions callOptions

// collect applies the per-call options.
func collect(opts []CallOption) *callOptions {
	if len(opts) == 0 {
		return &noOptions
	}
	co := &callOptions{}
	for _, opt := range opts {
		opt(co)
	}
	return co
}

// call runs one C operation with the per-call options and ctx's cancellation
// wired to a plexauth_cancel. op gets the client, the call options (maybe
// NULL) and the error out-param.
func (c *Client) call(ctx context.Context, co *callOptions,
	op func(*C.plexauth_client, *C.plexauth_call_options, **C.plexauth_error) C.plexauth_status) error {
	if ctx == nil {
		return invalidArgument("nil context")
	}
	if err := ctx.Err(); err != nil {
		return &Error{Status: StatusCancelled, Message: "context done before the call: " + err.Error(), cause: err}
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return invalidArgument("the client is closed")
	}

	var cancel *C.plexauth_cancel
	done := ctx.Done()
	if done != nil {
		var err error
		if cancel, err = newCancel(); err != nil {
			return err
		}
		defer C.plexauth_cancel_free(cancel)
	}
	copts, err := co.toC(cancel)
	if err != nil {
		return err
	}
	if copts != nil {
		defer C.plexauth_call_options_free(copts)
	}
	if done != nil {
		// Trigger the cancel token when ctx ends (AfterFunc starts no
		// goroutine unless it does). When the call returns, stop it, or wait
		// until the trigger is done, so that it never touches a freed token.
		triggered := make(chan struct{})
		stop := context.AfterFunc(ctx, func() {
			C.plexauth_cancel_trigger(cancel)
			close(triggered)
		})
		defer func() {
			if !stop() {
				<-triggered
			}
		}()
	}

	var cerr *C.plexauth_error
	st := op(c.ptr, copts, &cerr)
	if st == C.PLEXAUTH_OK {
		if cerr != nil { // not expected: the library sets it to NULL on success
			C.plexauth_error_free(cerr)
		}
		return nil
	}
	e := newError(st, cerr)
	if e.Status == StatusCancelled {
		e.cause = ctx.Err()
	}
	return e
}

// startFunc starts one operation without blocking (plexauth_client_<op>_start on
// the client's own loop, loop NULL) with the given client, call options, done
// callback and user data.
type startFunc func(cl *C.plexauth_client, o *C.plexauth_call_options, call **C.plexauth_call,
	done C.plexauth_call_done_fn, ud unsafe.Pointer, e **C.plexauth_error) C.plexauth_status

// finishFunc takes a completed call's outcome (plexauth_client_<op>_finish).
type finishFunc func(call *C.plexauth_call, e **C.plexauth_error) C.plexauth_status

// start runs one operation on the library's event loop instead of in a
// blocking cgo call: the goroutine waits on a channel (no OS thread is held
// for the transfer) that the completion callback closes on the loop's thread.
// ctx ending cancels the call (plexauth_call_cancel), which then completes
// within milliseconds with StatusCancelled.
func (c *Client) start(ctx context.Context, co *callOptions, start startFunc, finish finishFunc) error {
	if ctx == nil {
		return invalidArgument("nil context")
	}
	if err := ctx.Err(); err != nil {
		return &Error{Status: StatusCancelled, Message: "context done before the call: " + err.Error(), cause: err}
	}
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return invalidArgument("the client is closed")
	}
	copts, err := co.toC(nil)
	if err != nil {
		return err
	}
	if copts != nil {
		defer C.plexauth_call_options_free(copts) // the start copies them
	}
	done := make(chan struct{})
	h := cgo.NewHandle(done)
	defer h.Delete() // after plexauth_call_free: the callback no longer runs
	var call *C.plexauth_call
	var cerr *C.plexauth_error
	st := start(c.ptr, copts, &call, C.plexauthgo_call_done_fn(), C.plexauthgo_user_data(C.uintptr_t(h)), &cerr)
	if st != C.PLEXAUTH_OK {
		return newError(st, cerr)
	}
	defer C.plexauth_call_free(call)
	select {
	case <-done:
	case <-ctx.Done():
		C.plexauth_call_cancel(call)
		<-done
	}
	st = finish(call, &cerr)
	if st == C.PLEXAUTH_OK {
		if cerr != nil {
			C.plexauth_error_free(cerr)
		}
		return nil
	}
	e := newError(st, cerr)
	if e.Status == StatusCancelled {
		e.cause = ctx.Err()
	}
	return e
}

// newCancel makes a cancel token. (A function of its own, so that calls
// without one do not allocate the out-param.)
func newCancel() (*C.plexauth_cancel, error) {
	var cancel *C.plexauth_cancel
	if st := C.plexauth_cancel_new(&cancel); st != C.PLEXAUTH_OK {
		return nil, &Error{Status: Status(st), Message: "cannot create a cancel token"}
	}
	return cancel, nil
}

// GetTransientToken asks the PMS for a transient token with the caller's
// access level (GET {PMS}/security/token?type=delegation&scope=all).
func (c *Client) GetTransientToken(ctx context.Context, opts ...CallOption) (*TransientToken, error) {
	co := collect(opts)
	var tokenType, scope *C.char
	var err error
	if co.tokenType != "" {
		if tokenType, err = cString("WithTransientTokenType", co.tokenType); err != nil {
			return nil, err
		}
		defer C.free(unsafe.Pointer(tokenType))
	}
	if co.tokenScope != "" {
		if scope, err = cString("WithTransientTokenScope", co.tokenScope); err != nil {
			return nil, err
		}
		defer C.free(unsafe.Pointer(scope))
	}
	var out *C.plexauth_transient_token
	err = c.start(ctx, co, func(cl *C.plexauth_client, o *C.plexauth_call_options, call **C.plexauth_call,
		done C.plexauth_call_done_fn, ud unsafe.Pointer, e **C.plexauth_error) C.plexauth_status {
		return C.plexauth_client_get_transient_token_start(call, cl, tokenType, scope, o, nil, done, ud, e)
	}, func(call *C.plexauth_call, e **C.plexauth_error) C.plexauth_status {
		return C.plexauth_client_get_transient_token_finish(&out, call, e)
	})
	if err != nil {
		return nil, err
	}
	return readTransientToken(out)
}

// SignInRequest is the form of a sign-in. Login and Password are required.
// The identity fields, when set, beat the client's Options for this request.
type SignInRequest struct {
	Login            string // e-mail or user name
	Password         string
	RememberMe       bool
	VerificationCode string // the 2FA code; sent only when set

	ClientID       string
	ClientName     string
	ClientVersion  string
	Platform       string
	DeviceNickname string
	DeviceName     string
}

// SignIn signs in with a login and password (POST {plex.tv}/users/signin).
// The account's AuthToken is the token to use from then on. When the account
// has two-factor authentication, the error matches ErrTwoFactorRequired:
// ask the user for the code and call SignIn again with VerificationCode set.
// Sign-in is never retried after a 4XX.
func (c *Client) SignIn(ctx context.Context, r SignInRequest, opts ...CallOption) (*Account, error) {
	var req *C.plexauth_sign_in
	if st := C.plexauth_sign_in_new(&req); st != C.PLEXAUTH_OK {
		return nil, &Error{Status: Status(st), Message: "cannot create a sign-in request"}
	}
	defer C.plexauth_sign_in_free(req) // wipes the password and code
	fields := []struct {
		what, value string
		secret      bool
		set         func(*C.char) C.plexauth_status
	}{
		{"Login", r.Login, false, func(s *C.char) C.plexauth_status { return C.plexauth_sign_in_set_login(req, s) }},
		{"Password", r.Password, true, func(s *C.char) C.plexauth_status { return C.plexauth_sign_in_set_password(req, s) }},
		{"VerificationCode", r.VerificationCode, true, func(s *C.char) C.plexauth_status { return C.plexauth_sign_in_set_verification_code(req, s) }},
		{"ClientID", r.ClientID, false, func(s *C.char) C.plexauth_status { return C.plexauth_sign_in_set_client_id(req, s) }},
		{"ClientName", r.ClientName, false, func(s *C.char) C.plexauth_status { return C.plexauth_sign_in_set_client_name(req, s) }},
		{"ClientVersion", r.ClientVersion, false, func(s *C.char) C.plexauth_status { return C.plexauth_sign_in_set_client_version(req, s) }},
		{"Platform", r.Platform, false, func(s *C.char) C.plexauth_status { return C.plexauth_sign_in_set_platform(req, s) }},
		{"DeviceNickname", r.DeviceNickname, false, func(s *C.char) C.plexauth_status { return C.plexauth_sign_in_set_device_nickname(req, s) }},
		{"DeviceName", r.DeviceName, false, func(s *C.char) C.plexauth_status { return C.plexauth_sign_in_set_device_name(req, s) }},
	}
	for _, f := range fields {
		if err := setString(f.what, f.value, f.secret, f.set); err != nil {
			return nil, err
		}
	}
	if err := checkSetter("RememberMe", C.plexauth_sign_in_set_remember_me(req, cBool(r.RememberMe))); err != nil {
		return nil, err
	}
	var out *C.plexauth_account
	err := c.start(ctx, collect(opts), func(cl *C.plexauth_client, o *C.plexauth_call_options, call **C.plexauth_call,
		done C.plexauth_call_done_fn, ud unsafe.Pointer, e **C.plexauth_error) C.plexauth_status {
		return C.plexauth_client_post_users_sign_in_data_start(call, cl, req, o, nil, done, ud, e)
	}, func(call *C.plexauth_call, e **C.plexauth_error) C.plexauth_status {
		return C.plexauth_client_post_users_sign_in_data_finish(&out, call, e)
	})
	if err != nil {
		return nil, err
	}
	return readAccount(out)
}
