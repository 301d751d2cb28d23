package plexauth

/*
#include <plexauth/plexauth.h>
*/
import "C"

import (
	"errors"
	"fmt"
	"time"
)

// Status is a libplexauth status code. Values match plexauth_status.
type Status int

// Status codes. See the sentinel errors for their meaning.
const (
	StatusOK                Status = C.PLEXAUTH_OK
	StatusInvalidArgument   Status = C.PLEXAUTH_E_INVALID_ARGUMENT
	StatusBadRequest        Status = C.PLEXAUTH_E_BAD_REQUEST
	StatusUnauthorized      Status = C.PLEXAUTH_E_UNAUTHORIZED
	StatusTwoFactorRequired Status = C.PLEXAUTH_E_TWO_FACTOR_REQUIRED
	StatusRateLimited       Status = C.PLEXAUTH_E_RATE_LIMITED
	StatusHTTP              Status = C.PLEXAUTH_E_HTTP
	StatusTransport         Status = C.PLEXAUTH_E_TRANSPORT
	StatusTimeout           Status = C.PLEXAUTH_E_TIMEOUT
	StatusCancelled         Status = C.PLEXAUTH_E_CANCELLED
	StatusMalformedResponse Status = C.PLEXAUTH_E_MALFORMED_RESPONSE
	StatusOutOfMemory       Status = C.PLEXAUTH_E_OUT_OF_MEMORY
	StatusTLS               Status = C.PLEXAUTH_E_TLS
	StatusResponseTooLarge  Status = C.PLEXAUTH_E_RESPONSE_TOO_LARGE
	StatusSignInThrottled   Status = C.PLEXAUTH_E_SIGN_IN_THROTTLED
	StatusCallback          Status = C.PLEXAUTH_E_CALLBACK
	StatusInternal          Status = C.PLEXAUTH_E_INTERNAL
)

// String gives the library's stable snake_case name, e.g. "two_factor_required".
func (s Status) String() string {
	return C.GoString(C.plexauth_status_name(C.plexauth_status(s)))
}

// Sentinel errors, one per status. Test with errors.Is(err, plexauth.ErrX).
var (
	// ErrInvalidArgument: an argument or option was invalid; nothing was sent.
	ErrInvalidArgument = errors.New("plexauth: invalid argument")
	// ErrBadRequest: HTTP 400 (e.g. Plex code 1000, client identifier missing).
	ErrBadRequest = errors.New("plexauth: bad request")
	// ErrUnauthorized: HTTP 401, or plex.tv's 422 "invalid token".
	ErrUnauthorized = errors.New("plexauth: unauthorized")
	// ErrTwoFactorRequired: sign-in needs a 2FA verification code (Plex code 1029),
	// or the one given was wrong. Ask the user and sign in again with it.
	ErrTwoFactorRequired = errors.New("plexauth: two-factor verification code required")
	// ErrRateLimited: HTTP 429; see Error.RetryAfter.
	ErrRateLimited = errors.New("plexauth: rate limited")
	// ErrHTTP: any other HTTP 3XX/4XX/5XX.
	ErrHTTP = errors.New("plexauth: HTTP error")
	// ErrTransport: DNS, connect, send/receive failure, connection reset.
	ErrTransport = errors.New("plexauth: transport error")
	// ErrTimeout: the connect timeout or the per-attempt timeout expired.
	ErrTimeout = errors.New("plexauth: timeout")
	// ErrCancelled: the call's context was cancelled or its deadline passed.
	ErrCancelled = errors.New("plexauth: cancelled")
	// ErrMalformedResponse: unexpected status or content type, invalid JSON, or
	// a required field missing.
	ErrMalformedResponse = errors.New("plexauth: malformed response")
	// ErrOutOfMemory: the library could not allocate memory.
	ErrOutOfMemory = errors.New("plexauth: out of memory")
	// ErrTLS: TLS handshake or certificate verification failed.
	ErrTLS = errors.New("plexauth: TLS error")
	// ErrResponseTooLarge: the body exceeded Options.MaxResponseBytes.
	ErrResponseTooLarge = errors.New("plexauth: response too large")
	// ErrSignInThrottled: plex.tv locked sign-ins from this IP (Plex code 1031).
	ErrSignInThrottled = errors.New("plexauth: sign-in throttled")
	// ErrCallback: the token provider returned an error (or panicked).
	ErrCallback = errors.New("plexauth: token provider failed")
	// ErrInternal: a bug in libplexauth.
	ErrInternal = errors.New("plexauth: internal error")
)

var sentinels = map[Status]error{
	StatusInvalidArgument:   ErrInvalidArgument,
	StatusBadRequest:        ErrBadRequest,
	StatusUnauthorized:      ErrUnauthorized,
	StatusTwoFactorRequired: ErrTwoFactorRequired,
	StatusRateLimited:       ErrRateLimited,
	StatusHTTP:              ErrHTTP,
	StatusTransport:         ErrTransport,
	StatusTimeout:           ErrTimeout,
	StatusCancelled:         ErrCancelled,
	StatusMalformedResponse: ErrMalformedResponse,
	StatusOutOfMemory:       ErrOutOfMemory,
	StatusTLS:               ErrTLS,
	StatusResponseTooLarge:  ErrResponseTooLarge,
	StatusSignInThrottled:   ErrSignInThrottled,
	StatusCallback:          ErrCallback,
	StatusInternal:          ErrInternal,
}

// PlexError is one entry of Plex's errors[] array. Code and Status are 0 when
// the server left them out.
type PlexError struct {
	Code    int
	Message string
	Status  int
}

// Error is the error returned by every fallible function of this package.
// No field ever holds a token, password or 2FA code: the library redacts them.
type Error struct {
	Status  Status // what went wrong; see the sentinels
	Message string // human-readable, in English
	// HTTPStatus of the last response, 0 when none was received.
	HTTPStatus int
	// PlexErrors are the entries of the last response's errors[] array.
	PlexErrors []PlexError
	// RetryAfter is the last response's Retry-After, valid when HasRetryAfter.
	RetryAfter    time.Duration
	HasRetryAfter bool
	// Attempts is the number of HTTP attempts made (0: failed before sending).
	Attempts int
	// ContentType of the last response, "" when there was none.
	ContentType string
	// Body of the last response, truncated to 4096 bytes, secrets redacted.
	Body []byte

	ctxErr error // context.Canceled / DeadlineExceeded when the ctx ended the call
}

func (e *Error) Error() string {
	msg := "plexauth: " + e.Status.String()
	if e.Message != "" {
		msg += ": " + e.Message
	}
	if e.HTTPStatus != 0 {
		msg += fmt.Sprintf(" (HTTP %d)", e.HTTPStatus)
	}
	return msg
}

// Is reports whether target is the sentinel for e.Status, so that
// errors.Is(err, plexauth.ErrTwoFactorRequired) works.
func (e *Error) Is(target error) bool {
	return target != nil && sentinels[e.Status] == target
}

// Unwrap gives the context's error when the call was cancelled through its
// context, so that errors.Is(err, context.Canceled) and
// errors.Is(err, context.DeadlineExceeded) work.
func (e *Error) Unwrap() error { return e.ctxErr }

func invalidArgument(msg string) *Error {
	return &Error{Status: StatusInvalidArgument, Message: msg}
}

// newError copies a C error object (which may be NULL) into an *Error and
// frees it.
func newError(st C.plexauth_status, cerr *C.plexauth_error) *Error {
	defer C.plexauth_error_free(cerr)
	e := &Error{Status: Status(st)}
	if cerr == nil {
		return e
	}
	e.Status = Status(C.plexauth_error_status(cerr))
	e.Message = C.GoString(C.plexauth_error_message(cerr))
	e.HTTPStatus = int(C.plexauth_error_http_status(cerr))
	e.Attempts = int(C.plexauth_error_attempts(cerr))
	var ms C.int64_t
	if C.plexauth_error_retry_after_ms(cerr, &ms) != 0 {
		e.RetryAfter, e.HasRetryAfter = time.Duration(ms)*time.Millisecond, true
	}
	for i, n := C.size_t(0), C.plexauth_error_plex_error_count(cerr); i < n; i++ {
		var pe PlexError
		var v C.int64_t
		if C.plexauth_error_plex_error_code(cerr, i, &v) != 0 {
			pe.Code = int(v)
		}
		if C.plexauth_error_plex_error_status(cerr, i, &v) != 0 {
			pe.Status = int(v)
		}
		if m := C.plexauth_error_plex_error_message(cerr, i); m != nil {
			pe.Message = C.GoString(m)
		}
		e.PlexErrors = append(e.PlexErrors, pe)
	}
	if ct := C.plexauth_error_content_type(cerr); ct != nil {
		e.ContentType = C.GoString(ct)
	}
	var n C.size_t
	e.Body = goBytes(C.plexauth_error_body(cerr, &n), n)
	return e
}
