package plexauth

/*
#include <plexauth/plexauth.h>
*/
import "C"

import (
	"fmt"
	"time"
)

// Status is a libplexauth status code. Values match plexauth_status. The
// constants, the sentinel errors and their table are generated from
// codegen/api.py (errors_gen.go).
type Status int

// String gives the library's stable snake_case name, e.g. "two_factor_required".
func (s Status) String() string {
	return C.GoString(C.plexauth_status_name(C.plexauth_status(s)))
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

	// cause: context.Canceled / DeadlineExceeded when the ctx ended the call,
	// or what a WaitForPIN progress callback returned (or its panic), or
	// what a KeyStore's method returned (or its panic).
	cause error
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
// errors.Is(err, context.DeadlineExceeded) work, the error a WaitForPIN
// progress callback stopped the wait with, or a KeyStore's error.
func (e *Error) Unwrap() error { return e.cause }

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
	for i, n := C.size_t(0), C.plexauth_error_plex_errors_count(cerr); i < n; i++ {
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
