package plexauth

/*
#include <stdlib.h>
#include <string.h>
#include <plexauth/plexauth.h>
#include "bridge.h"
*/
import "C"

import (
	"bytes"
	"context"
	"runtime"
	"runtime/cgo"
	"sync"
	"time"
	"unsafe"
)

// JWT device authentication (docs/jwt.md): a device key of its own per
// client identifier, registered once with a legacy token; from then on
// short-lived Plex JWTs, got and refreshed with the key alone.

// DeviceKey is a device's Ed25519 key pair. Its public half (JWK) goes to
// plex.tv (RegisterDeviceKey); the private half signs the device JWTs that
// plex.tv exchanges for Plex JWTs. Use one key per client identifier, never
// shared between devices. The private key stays in C memory: only PEM hands
// it out. Close frees and wipes it (so does the garbage collector). A
// DeviceKey is safe for concurrent use.
type DeviceKey struct {
	mu  sync.RWMutex
	ptr *C.plexauth_device_key
	id  string
	jwk string
}

func newDeviceKey(ptr *C.plexauth_device_key) *DeviceKey {
	k := &DeviceKey{
		ptr: ptr,
		id:  C.GoString(C.plexauth_device_key_id(ptr)),
		jwk: C.GoString(C.plexauth_device_key_jwk(ptr)),
	}
	runtime.SetFinalizer(k, (*DeviceKey).Close)
	return k
}

// GenerateDeviceKey makes a new Ed25519 key pair (OpenSSL).
func GenerateDeviceKey() (*DeviceKey, error) {
	var ptr *C.plexauth_device_key
	var cerr *C.plexauth_error
	if st := C.plexauth_device_key_generate(&ptr, &cerr); st != C.PLEXAUTH_OK {
		return nil, newError(st, cerr)
	}
	return newDeviceKey(ptr), nil
}

// DeviceKeyFromPEM reads a key from PKCS#8 PEM text, as PEM writes it (for
// an application with a keystore of its own). Anything but an unencrypted
// Ed25519 PEM key gives an error matching ErrInvalidArgument. The C copy of
// pem is wiped; pem itself is the caller's to wipe.
func DeviceKeyFromPEM(pem []byte) (*DeviceKey, error) {
	cpem, err := cSecretBytes("pem", pem)
	if err != nil {
		return nil, err
	}
	defer C.plexauthgo_wipe_free(cpem)
	var ptr *C.plexauth_device_key
	var cerr *C.plexauth_error
	if st := C.plexauth_device_key_from_pem(&ptr, cpem, &cerr); st != C.PLEXAUTH_OK {
		return nil, newError(st, cerr)
	}
	return newDeviceKey(ptr), nil
}

// LoadDeviceKey reads a key file written by Save or LoadOrCreateDeviceKey. A
// file that other users may read is refused (ErrInvalidArgument), as ssh
// refuses such keys; a missing or unreadable one gives ErrTransport.
func LoadDeviceKey(path string) (*DeviceKey, error) {
	return loadKey(path, nil)
}

// LoadOrCreateDeviceKey reads the key file at path, or, when there is none,
// makes a new key and saves it there (PKCS#8 PEM, mode 0600, atomically).
// created reports which.
func LoadOrCreateDeviceKey(path string) (key *DeviceKey, created bool, err error) {
	var c C.int
	key, err = loadKey(path, &c)
	return key, c != 0, err
}

// KeyStore is the application's own keystore for a device key (a system
// keychain, a secret service, an encrypted database), for
// LoadOrCreateDeviceKeyWith and SaveWith. Its methods are called on the
// calling goroutine, at most once per call.
type KeyStore interface {
	// ReadKey returns the stored key's PKCS#8 PEM text, or nil (and no
	// error) when the keystore holds no key yet. The library copies the
	// text (and wipes its copy); the slice stays the keystore's.
	ReadKey() ([]byte, error)
	// WriteKey stores the key's PKCS#8 PEM text. It is a secret: never log
	// it. As with io.Writer, WriteKey must not retain pem (copy it): the
	// slice is wiped when WriteKey returns.
	WriteKey(pem []byte) error
}

// LoadOrCreateDeviceKeyWith is LoadOrCreateDeviceKey with the application's
// own keystore instead of a file: it calls store.ReadKey once; when that
// gives no key, it makes a new key and calls store.WriteKey once with its
// PEM text before returning it. created reports which (register a new key:
// RegisterDeviceKey).
//
// An error of ReadKey or WriteKey (or their panic, which never crosses the C
// frames) gives an *Error with Status StatusCallback that wraps it
// (errors.Is / errors.As reach the store's error), and no key: a new key
// that could not be stored is never returned. A stored text that is not an
// Ed25519 PKCS#8 PEM key gives ErrInvalidArgument and is never replaced (a
// registered device would lose its key).
func LoadOrCreateDeviceKeyWith(store KeyStore) (key *DeviceKey, created bool, err error) {
	if store == nil {
		return nil, false, invalidArgument("nil KeyStore")
	}
	call := &keyStoreCall{store: store}
	h := cgo.NewHandle(call)
	defer h.Delete() // after the call: C no longer holds it
	var ptr *C.plexauth_device_key
	var cerr *C.plexauth_error
	var c C.int
	if st := C.plexauthgo_device_key_load_or_create_with(&ptr, C.uintptr_t(h), &c, &cerr); st != C.PLEXAUTH_OK {
		return nil, false, call.wrap(newError(st, cerr))
	}
	return newDeviceKey(ptr), c != 0, nil
}

// wrap puts the store's error (or panic) into the call's *Error.
func (s *keyStoreCall) wrap(e *Error) *Error {
	if s.err != nil && e.Status == StatusCallback {
		e.cause = s.err
		if s.panicked {
			e.Message = "the KeyStore's " + s.method + " panicked"
		} else {
			e.Message = "the KeyStore's " + s.method + " failed: " + s.err.Error()
		}
	}
	return e
}

func loadKey(path string, created *C.int) (*DeviceKey, error) {
	cpath, err := cString("path", path)
	if err != nil {
		return nil, err
	}
	defer C.free(unsafe.Pointer(cpath))
	var ptr *C.plexauth_device_key
	var cerr *C.plexauth_error
	var st C.plexauth_status
	if created == nil {
		st = C.plexauth_device_key_load(&ptr, cpath, &cerr)
	} else {
		st = C.plexauth_device_key_load_or_create(&ptr, cpath, created, &cerr)
	}
	if st != C.PLEXAUTH_OK {
		return nil, newError(st, cerr)
	}
	return newDeviceKey(ptr), nil
}

// ID is the key's id: its RFC 7638 thumbprint (base64url of SHA-256), the
// "kid" of its JWK and of the device JWTs it signs. Still known after Close.
func (k *DeviceKey) ID() string { return k.id }

// JWK is the public key as JSON:
// {"kty":"OKP","crv":"Ed25519","x":...,"use":"sig","alg":"EdDSA","kid":...}.
// It holds no private part. Still known after Close.
func (k *DeviceKey) JWK() string { return k.jwk }

// String shows the key's id only, never the private key.
func (k *DeviceKey) String() string {
	if k == nil {
		return "DeviceKey(nil)"
	}
	return "DeviceKey{ID:" + k.id + "}"
}

// GoString is String, so that %#v shows no key material either.
func (k *DeviceKey) GoString() string { return k.String() }

// PEM returns the private key as PKCS#8 PEM text, for a keystore of the
// application's own. It is a secret: never log it; wipe the slice when done
// (the C buffer it was written to is wiped).
func (k *DeviceKey) PEM() ([]byte, error) {
	var out []byte
	err := k.use(func(p *C.plexauth_device_key) error {
		var err error
		out, err = secretText(256, func(buf *C.char, size C.size_t, n *C.size_t, e **C.plexauth_error) C.plexauth_status {
			return C.plexauth_device_key_to_pem(p, buf, size, n, e)
		})
		return err
	})
	return out, err
}

// Save writes the key to path as PKCS#8 PEM, mode 0600, atomically (a
// temporary file renamed into place). Errors: ErrTransport (not writable),
// ErrInvalidArgument.
func (k *DeviceKey) Save(path string) error {
	cpath, err := cString("path", path)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(cpath))
	return k.use(func(p *C.plexauth_device_key) error {
		var cerr *C.plexauth_error
		if st := C.plexauth_device_key_save(p, cpath, &cerr); st != C.PLEXAUTH_OK {
			return newError(st, cerr)
		}
		return nil
	})
}

// SaveWith writes the key into the application's own keystore: it calls
// store.WriteKey once with the PKCS#8 PEM text PEM gives. An error or panic
// of WriteKey gives an *Error with Status StatusCallback wrapping it.
func (k *DeviceKey) SaveWith(store KeyStore) error {
	if store == nil {
		return invalidArgument("nil KeyStore")
	}
	return k.use(func(p *C.plexauth_device_key) error {
		call := &keyStoreCall{store: store}
		h := cgo.NewHandle(call)
		defer h.Delete()
		var cerr *C.plexauth_error
		if st := C.plexauthgo_device_key_save_with(p, C.uintptr_t(h), &cerr); st != C.PLEXAUTH_OK {
			return call.wrap(newError(st, cerr))
		}
		return nil
	})
}

// DeviceJWTOptions tune DeviceKey.SignJWT. The zero value asks for the
// default claims and a 5-minute JWT.
type DeviceJWTOptions struct {
	// Scope is the comma-separated claims to put in the Plex JWT; "" means
	// "username,email,friendly_name,restricted,anonymous,joinedAt".
	Scope string
	// Lifetime of the device JWT, whole seconds, 1 s .. 24 h; 0 means 5
	// minutes (as plex.tv's own clients).
	Lifetime time.Duration
}

// SignJWT signs a device JWT: header {"alg":"EdDSA","typ":"JWT","kid"},
// claims {"nonce" (when not ""), "scope", "aud":"plex.tv", "iss": clientID,
// "iat", "exp"}. JWTLogin does this itself; SignJWT is for ExchangeDeviceJWT
// done by hand, PIN polling and checks. clientID must be the
// X-Plex-Client-Identifier the JWT is sent with (plex.tv checks iss:
// ErrJWTIssuerMismatch otherwise). The JWT is a credential: never log it.
func (k *DeviceKey) SignJWT(clientID, nonce string, o DeviceJWTOptions) (string, error) {
	if o.Lifetime < 0 || o.Lifetime%time.Second != 0 {
		return "", invalidArgument("DeviceJWTOptions.Lifetime must be whole seconds, 1 s .. 24 h")
	}
	lifetime := C.int64_t(300)
	if o.Lifetime > 0 {
		lifetime = C.int64_t(o.Lifetime / time.Second)
	}
	cid, err := cString("clientID", clientID)
	if err != nil {
		return "", err
	}
	defer C.free(unsafe.Pointer(cid))
	var cnonce, cscope *C.char
	if nonce != "" {
		if cnonce, err = cString("nonce", nonce); err != nil {
			return "", err
		}
		defer C.free(unsafe.Pointer(cnonce))
	}
	if o.Scope != "" {
		if cscope, err = cString("DeviceJWTOptions.Scope", o.Scope); err != nil {
			return "", err
		}
		defer C.free(unsafe.Pointer(cscope))
	}
	var out []byte
	err = k.use(func(p *C.plexauth_device_key) error {
		var err error
		out, err = secretText(1024, func(buf *C.char, size C.size_t, n *C.size_t, e **C.plexauth_error) C.plexauth_status {
			return C.plexauth_device_key_sign_jwt(p, cid, cnonce, cscope, lifetime, buf, size, n, e)
		})
		return err
	})
	return string(out), err
}

// Close frees the key; OpenSSL clears the private key. Using it afterwards
// fails with ErrInvalidArgument (ID and JWK stay known). A JWTSession made
// with the key keeps a copy of its own. Close is idempotent.
func (k *DeviceKey) Close() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if k.ptr != nil {
		C.plexauth_device_key_free(k.ptr)
		k.ptr = nil
		runtime.SetFinalizer(k, nil)
	}
	return nil
}

// use runs f with the C key, which stays valid meanwhile.
func (k *DeviceKey) use(f func(*C.plexauth_device_key) error) error {
	if k == nil {
		return invalidArgument("nil DeviceKey")
	}
	k.mu.RLock()
	defer k.mu.RUnlock()
	if k.ptr == nil {
		return invalidArgument("the DeviceKey is closed")
	}
	return f(k.ptr)
}

// RegisterDeviceKey registers key with plex.tv using the client's (legacy)
// token: POST {clients.plex.tv}/auth/jwk {"jwk": key.JWK()}. Do it once per
// key. plex.tv binds the key to the device that owns the token, and field
// reports say that device's legacy token stops working once a JWT is issued
// for it: register under a client identifier whose legacy token no Plex
// Media Server needs (docs/jwt.md). Errors: ErrUnauthorized (a bad token; 422,
// e.g. the key is taken by another device), or a call's usual ones.
func (c *Client) RegisterDeviceKey(ctx context.Context, key *DeviceKey, opts ...CallOption) error {
	return key.use(func(k *C.plexauth_device_key) error {
		return c.call(ctx, collect(opts), func(cl *C.plexauth_client, o *C.plexauth_call_options, e **C.plexauth_error) C.plexauth_status {
			return C.plexauth_client_register_device_key(cl, k, o, e)
		})
	})
}

// JWTLogin gets a Plex JWT for this device: a nonce (GetNonce), a device JWT
// signed with the registered key, and the exchange (ExchangeDeviceJWT); the
// result's AuthToken is the Plex JWT, to use as the token with plex.tv (Plex
// Media Server does not take JWTs yet). No token is sent. It works before
// and after the previous JWT expired: it is also the refresh (a JWTSession
// does it for you). The client identifier (Options.ClientID, or WithClientID)
// is the device JWT's iss. WithJWTScope chooses the claims. Errors:
// ErrJWTIssuerMismatch (Plex code 1097), ErrUnauthorized (422: signature or
// nonce refused, key not registered), ErrTokenExpired (498),
// ErrRateLimited, ErrInvalidArgument (no client identifier), a call's usual
// ones.
func (c *Client) JWTLogin(ctx context.Context, key *DeviceKey, opts ...CallOption) (*JwtToken, error) {
	co := collect(opts)
	var scope *C.char
	if co.jwtScope != "" {
		var err error
		if scope, err = cString("WithJWTScope", co.jwtScope); err != nil {
			return nil, err
		}
		defer C.free(unsafe.Pointer(scope))
	}
	var out *C.plexauth_jwt_token
	err := key.use(func(k *C.plexauth_device_key) error {
		return c.call(ctx, co, func(cl *C.plexauth_client, o *C.plexauth_call_options, e **C.plexauth_error) C.plexauth_status {
			return C.plexauth_client_jwt_login(&out, cl, k, scope, o, e)
		})
	})
	if err != nil {
		return nil, err
	}
	return readJwtToken(out)
}

// JWTVerify verifies a Plex JWT against plex.tv's published keys (GetJwks;
// cached for an hour per client, read again once when the JWT names a key
// it does not know, as after plex.tv rotated them): EdDSA, the signature,
// iss "plex.tv", aud "plex.tv" or the client identifier, exp and iat (60 s
// leeway), and, when key is not nil, that the JWT was issued for that key
// (its thumbprint claim). It returns the JWT's expiry. Errors:
// ErrTokenExpired; ErrJWTInvalid, whose message names the failed check
// (malformed, algorithm, unknown_key, signature, issuer, audience,
// not_yet_valid, thumbprint, missing_claim) and never the JWT; a call's
// usual ones for reading the keys.
func (c *Client) JWTVerify(ctx context.Context, jwt string, key *DeviceKey, opts ...CallOption) (time.Time, error) {
	cjwt, err := cString("jwt", jwt)
	if err != nil {
		return time.Time{}, err
	}
	defer C.plexauthgo_wipe_free(cjwt)
	var exp C.int64_t
	verify := func(k *C.plexauth_device_key) error {
		return c.call(ctx, collect(opts), func(cl *C.plexauth_client, o *C.plexauth_call_options, e **C.plexauth_error) C.plexauth_status {
			return C.plexauth_client_jwt_verify(cl, cjwt, k, &exp, o, e)
		})
	}
	if key == nil {
		err = verify(nil)
	} else {
		err = key.use(verify)
	}
	if err != nil {
		return time.Time{}, err
	}
	return time.Unix(int64(exp), 0), nil
}

// CreateJWKPINForKey creates a PIN that carries key's public JWK
// (CreateJWKPIN(ctx, key.JWK(), strong)): PIN or hosted login for a new
// device with no legacy token. Show its code (plex.tv/link) or its LoginURL
// (strong), then WaitForJWKPIN with the same client and key. No token is
// sent.
func (c *Client) CreateJWKPINForKey(ctx context.Context, key *DeviceKey, strong bool, opts ...CallOption) (*Pin, error) {
	if err := key.use(func(*C.plexauth_device_key) error { return nil }); err != nil {
		return nil, err
	}
	return c.CreateJWKPIN(ctx, key.JWK(), strong, opts...)
}

// WaitForJWKPIN is WaitForPIN for a PIN made with a device key
// (CreateJWKPINForKey): it polls GetJWKPIN with a device JWT signed by key
// (a fresh nonce; signed again every 4 minutes, so a long wait never sends
// an expired one; in the query, as plex.tv requires, and redacted from every
// log line and error) until the user approves. The approved PIN's AuthToken
// is a Plex JWT for this key (JWTVerify accepts it), and plex.tv has
// registered the key for the account: a JWTSession with the same key
// refreshes from then on, without RegisterDeviceKey. Poll from the client
// (identifier) that created the PIN. Errors: as WaitForPIN, and
// ErrUnauthorized when plex.tv refuses the device JWT (not the PIN's key).
func (c *Client) WaitForJWKPIN(ctx context.Context, id int64, key *DeviceKey, w WaitOptions, opts ...CallOption) (*Pin, error) {
	var pin *Pin
	err := key.use(func(k *C.plexauth_device_key) error {
		var err error
		pin, err = c.waitPIN(ctx, w, opts, func(cl *C.plexauth_client, out **C.plexauth_pin, poll, timeout C.int64_t,
			handle C.uintptr_t, o *C.plexauth_call_options, e **C.plexauth_error) C.plexauth_status {
			return C.plexauthgo_wait_for_jwk_pin(out, cl, C.int64_t(id), k, poll, timeout, handle, o, e)
		})
		return err
	})
	return pin, err
}

// JWTSession is a refreshing source of Plex JWTs for one device key. Token
// hands out the current JWT and first gets a new one (JWTLogin) when there
// is none or less than the margin is left. It is safe for concurrent use:
// when many goroutines ask at once, one refreshes and the others wait for it
// and get its JWT, or its error (a failed refresh is not repeated by each
// waiter). Options.JWTSession makes it the token of every call of a client.
//
// The session refreshes through the client it was made with, which it keeps
// alive: closing that client first hides it from its own calls, and the C
// client is freed with the last session using it. Close the session when
// done (the garbage collector does it too).
type JWTSession struct {
	mu     sync.RWMutex // held for reading by Token, for writing by Close and the use count
	ptr    *C.plexauth_jwt_session
	client *Client // refreshes through it; client.deps counts this session
	users  int     // clients made with Options.JWTSession = this, not yet freed
	closed bool
}

// NewJWTSession makes a session for key (registered with RegisterDeviceKey;
// the session keeps a copy of it, so key may be closed afterwards) that
// refreshes through client, whose ClientID is the device JWT's iss. It
// refreshes when less than margin is left before the JWT expires: 0 means
// one day (as python-plexapi); otherwise 1 s .. 7 days, rounded up to whole
// seconds. No request is made until the first Token. Errors:
// ErrInvalidArgument (nil or closed client or key, a margin out of range, a
// client without ClientID).
func NewJWTSession(client *Client, key *DeviceKey, margin time.Duration) (*JWTSession, error) {
	if client == nil {
		return nil, invalidArgument("nil Client")
	}
	if margin < 0 {
		return nil, invalidArgument("invalid margin")
	}
	var marginS C.int64_t
	if margin > 0 {
		marginS = C.int64_t((margin + time.Second - 1) / time.Second)
	}
	s := &JWTSession{client: client}
	err := key.use(func(k *C.plexauth_device_key) error {
		client.mu.RLock()
		defer client.mu.RUnlock()
		if client.ptr == nil {
			return invalidArgument("the client is closed")
		}
		var cerr *C.plexauth_error
		if st := C.plexauth_jwt_session_new(&s.ptr, client.ptr, k, marginS, &cerr); st != C.PLEXAUTH_OK {
			return newError(st, cerr)
		}
		client.deps.Add(1) // under the read lock: Close sees it
		return nil
	})
	if err != nil {
		return nil, err
	}
	runtime.SetFinalizer(s, (*JWTSession).Close)
	return s, nil
}

// Token returns the current Plex JWT and its expiry, refreshing first when
// needed (one refresh for all the goroutines asking meanwhile). A refresh is
// bounded by the client's timeouts and retry policy; it cannot be cancelled
// midway. Errors: those of JWTLogin, for every goroutine that waited for the
// failed refresh; ErrInvalidArgument after Close. The JWT is a credential:
// never log it.
func (s *JWTSession) Token() (string, time.Time, error) {
	if s == nil {
		return "", time.Time{}, invalidArgument("nil JWTSession")
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return "", time.Time{}, invalidArgument("the JWTSession is closed")
	}
	var exp C.int64_t
	jwt, err := secretText(1024, func(buf *C.char, size C.size_t, n *C.size_t, e **C.plexauth_error) C.plexauth_status {
		return C.plexauth_jwt_session_token(s.ptr, buf, size, n, &exp, e)
	})
	if err != nil {
		return "", time.Time{}, err
	}
	return string(jwt), time.Unix(int64(exp), 0), nil
}

// Invalidate forgets the current JWT, so that the next Token (or call of a
// client using the session) refreshes: do it after plex.tv answered
// ErrTokenExpired to it (plex.tv can expire JWTs early). A no-op after Close.
func (s *JWTSession) Invalidate() {
	if s == nil {
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	if !s.closed {
		C.plexauth_jwt_session_invalidate(s.ptr)
	}
}

// Close ends the session: Token fails with ErrInvalidArgument afterwards.
// It waits for the Token calls in progress. The session itself (with its
// wiped JWT) is freed once no client made with Options.JWTSession = s is
// left, so such clients keep working until they are closed. Close is
// idempotent.
func (s *JWTSession) Close() error {
	if s == nil {
		return nil
	}
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	runtime.SetFinalizer(s, nil)
	freed := s.users == 0 && s.free()
	s.mu.Unlock()
	if freed {
		s.client.releaseDep()
	}
	return nil
}

// free frees the C session (under s.mu, once closed and unused) and reports
// whether it did; the caller then releases the client, outside s.mu.
func (s *JWTSession) free() bool {
	if s.ptr == nil {
		return false
	}
	C.plexauth_jwt_session_free(s.ptr)
	s.ptr = nil
	return true
}

// install makes the session cfg's token provider, counting the client that
// will be made from cfg as a user (released by releaseUser).
func (s *JWTSession) install(cfg *C.plexauth_config) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return invalidArgument("Options.JWTSession is closed")
	}
	// The library's own provider, with the C session as its user data: no Go
	// callback per request, and no Go pointer in C memory.
	if err := checkSetter("JWTSession", C.plexauth_config_set_token_provider(cfg,
		C.plexauth_token_provider_fn(C.plexauth_jwt_session_provider), unsafe.Pointer(s.ptr), nil)); err != nil {
		return err
	}
	s.users++
	return nil
}

// releaseUser is called when a client using the session is freed (or could
// not be made).
func (s *JWTSession) releaseUser() {
	s.mu.Lock()
	s.users--
	freed := s.users == 0 && s.closed && s.free()
	s.mu.Unlock()
	if freed {
		s.client.releaseDep()
	}
}

// cSecretBytes copies b into NUL-terminated C memory, to be freed with
// plexauthgo_wipe_free. It refuses a NUL byte inside b.
func cSecretBytes(what string, b []byte) (*C.char, error) {
	if bytes.IndexByte(b, 0) >= 0 {
		return nil, invalidArgument(what + " contains a NUL byte")
	}
	p := (*C.char)(C.malloc(C.size_t(len(b) + 1)))
	if p == nil {
		return nil, &Error{Status: StatusOutOfMemory, Message: "cannot copy " + what}
	}
	buf := unsafe.Slice((*byte)(unsafe.Pointer(p)), len(b)+1)
	copy(buf, b)
	buf[len(b)] = 0
	return p, nil
}

// secretText runs a C function that writes a secret text into a buffer
// (buf, size, *len: the text's length, also when the buffer is too small),
// growing the buffer once when needed. The C buffer is wiped before it is
// freed.
func secretText(size int, write func(buf *C.char, size C.size_t, n *C.size_t, e **C.plexauth_error) C.plexauth_status) ([]byte, error) {
	for attempt := 0; attempt < 2; attempt++ {
		buf := (*C.char)(C.malloc(C.size_t(size)))
		if buf == nil {
			return nil, &Error{Status: StatusOutOfMemory, Message: "cannot allocate a buffer"}
		}
		var n C.size_t
		var cerr *C.plexauth_error
		st := write(buf, C.size_t(size), &n, &cerr)
		var out []byte
		if st == C.PLEXAUTH_OK {
			out = C.GoBytes(unsafe.Pointer(buf), C.int(n))
		}
		C.memset(unsafe.Pointer(buf), 0, C.size_t(size))
		C.free(unsafe.Pointer(buf))
		if st == C.PLEXAUTH_OK {
			return out, nil
		}
		if st == C.PLEXAUTH_E_INVALID_ARGUMENT && int(n) >= size && attempt == 0 {
			C.plexauth_error_free(cerr)
			size = int(n) + 1
			continue
		}
		return nil, newError(st, cerr)
	}
	return nil, &Error{Status: StatusInternal, Message: "the text kept growing"}
}
