package plexauth

/*
#include <stdlib.h>
#include <plexauth/plexauth.h>
#include "bridge.h"
*/
import "C"

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
	"unsafe"
)

// Connecting to a server (plexauth.h, "Connecting to a server"): Connect
// races the connections of a device of ListResources and returns the first
// that answers as that server.
//
// A Resource is a plain Go value (its C result was freed when ListResources
// returned), so Connect hands it back to C the way plexauth.h offers for a
// saved resource: it writes the device back as its wire JSON (the `plex`
// tags name the members), reads it with plexauth_resources_from_json("[...]"),
// and passes that device to plexauth_client_connect_start. The temporary C
// copies, which hold the server's access token, are wiped.

// Location is a set of the places a server's connections are at.
type Location uint

// Locations of ConnectOptions.Locations (or-ed together).
const (
	LocationLocal  Location = C.PLEXAUTH_LOCATION_LOCAL  // the server's LAN addresses
	LocationRemote Location = C.PLEXAUTH_LOCATION_REMOTE // its public addresses
	LocationRelay  Location = C.PLEXAUTH_LOCATION_RELAY  // plex.tv's relay, tried last
)

// Scheme is a set of URL schemes to try.
type Scheme uint

// Schemes of ConnectOptions.Schemes (or-ed together).
const (
	SchemeHTTPS Scheme = 1 // the connection's uri (often a *.plex.direct name)
	SchemeHTTP  Scheme = 2 // plain http://address:port (never for a server requiring https)
)

// ConnectOptions control how Connect races a server's connections. The zero
// value of every field keeps the library's default: every location, https
// and http, a 250 ms stagger, a 100 ms grace window, a 10 s deadline, no
// cache. Cancellation comes from Connect's context.
type ConnectOptions struct {
	// Locations to try; 0: all of them.
	Locations Location
	// Schemes to try; 0: https and http.
	Schemes Scheme
	// Stagger is the head start of each probe over the next (the next one
	// starts then, or as soon as the one before fails). 0 keeps 250 ms; a
	// negative value starts every probe at once. At most 60 s.
	Stagger time.Duration
	// Grace is how long a success waits for a more preferred probe still
	// running. 0 keeps 100 ms; a negative value waits for none. At most 60 s.
	Grace time.Duration
	// Deadline limits the whole connect (1 ms .. 10 min); 0 keeps 10 s.
	Deadline time.Duration
	// Cache, when set, is tried first (the server's remembered uri) and
	// remembers the winner.
	Cache *ConnectCache
}

// ConnectResult is the connection Connect chose and what happened to every
// candidate.
type ConnectResult struct {
	// URI is the chosen base URI: use it as the server URL (WithServerURL).
	URI string
	// MachineIdentifier is the server's, as it confirmed (the resource's clientIdentifier).
	MachineIdentifier string
	// Name is the server's name (the resource's).
	Name string
	// Version is the server's version as its /identity answered ("" when not sent).
	Version string
	// AccessToken is the token to use with the server: the resource's
	// accessToken; nil when it had none (an owned server: use the account's).
	// Secret: String hides it.
	AccessToken *string
	// Elapsed is the time the connect took.
	Elapsed time.Duration
	// Attempts are the candidates, in preference order (tried or not).
	Attempts []ConnectAttempt
}

// ConnectAttempt is one candidate connection of a connect.
type ConnectAttempt struct {
	URI        string
	Location   string // "local", "remote" or "relay"
	HTTPS      bool
	IPv6       bool
	Remembered bool // the cache's uri for the server
	// Outcome: "ok" (answered as the server), "failed" (see Status and
	// Message), "abandoned" (still running when the connect ended) or
	// "not_tried".
	Outcome string
	// Status is why a failed candidate failed (StatusMalformedResponse:
	// another server answered); StatusOK when it did not fail.
	Status     Status
	HTTPStatus int // 0 when no response
	// Started is when its probe started, from the start of the connect;
	// negative when it did not start.
	Started time.Duration
	// Elapsed is how long its probe took; negative when it did not finish.
	Elapsed time.Duration
	Message string // a failed candidate's error message; "" otherwise
}

// String shows the result without its access token.
func (r ConnectResult) String() string {
	w := modelWriter{name: "ConnectResult"}
	w.field("URI", r.URI)
	w.field("MachineIdentifier", r.MachineIdentifier)
	w.field("Name", r.Name)
	w.field("Version", r.Version)
	w.secret("AccessToken", r.AccessToken != nil)
	w.field("Elapsed", r.Elapsed)
	w.field("Attempts", r.Attempts)
	return w.done()
}

// GoString is String, so that %#v hides the token too.
func (r ConnectResult) GoString() string { return r.String() }

// ConnectCache remembers good connections, one per server
// (machineIdentifier -> uri). It is safe for concurrent use and may be
// shared by many clients. Close it when done.
type ConnectCache struct {
	mu  sync.RWMutex
	ptr *C.plexauth_connect_cache
}

// NewConnectCache makes an empty cache.
func NewConnectCache() (*ConnectCache, error) {
	c := &ConnectCache{}
	var cerr *C.plexauth_error
	if st := C.plexauth_connect_cache_new(&c.ptr, &cerr); st != C.PLEXAUTH_OK {
		return nil, newError(st, cerr)
	}
	runtime.SetFinalizer(c, (*ConnectCache).Close)
	return c, nil
}

// Close releases the cache (a connect in progress keeps what it uses).
// Using it afterwards fails with ErrInvalidArgument. Close is idempotent.
func (c *ConnectCache) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ptr != nil {
		C.plexauth_connect_cache_free(c.ptr)
		c.ptr = nil
		runtime.SetFinalizer(c, nil)
	}
	return nil
}

// Len is the number of servers remembered (0 after Close).
func (c *ConnectCache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return int(C.plexauth_connect_cache_size(c.ptr)) // 0 for NULL
}

// Load replaces the cache's content with a file written by Save; a missing
// file is an empty cache. Errors: ErrTransport (unreadable),
// ErrMalformedResponse (not a cache file), ErrInvalidArgument.
func (c *ConnectCache) Load(path string) error {
	return c.file("path", path, func(p *C.char, e **C.plexauth_error) C.plexauth_status {
		return C.plexauth_connect_cache_load(c.ptr, p, e)
	})
}

// Save writes the cache to a file atomically, mode 0600. Errors:
// ErrTransport (not writable), ErrInvalidArgument.
func (c *ConnectCache) Save(path string) error {
	return c.file("path", path, func(p *C.char, e **C.plexauth_error) C.plexauth_status {
		return C.plexauth_connect_cache_save(c.ptr, p, e)
	})
}

func (c *ConnectCache) file(what, path string, op func(*C.char, **C.plexauth_error) C.plexauth_status) error {
	if c == nil {
		return invalidArgument("nil ConnectCache")
	}
	p, err := cString(what, path)
	if err != nil {
		return err
	}
	defer C.free(unsafe.Pointer(p))
	c.mu.RLock()
	defer c.mu.RUnlock()
	if c.ptr == nil {
		return invalidArgument("the ConnectCache is closed")
	}
	var cerr *C.plexauth_error
	if st := op(p, &cerr); st != C.PLEXAUTH_OK {
		return newError(st, cerr)
	}
	return nil
}

// toC builds the C connect options; the caller frees them.
func (o *ConnectOptions) toC() (*C.plexauth_connect_options, error) {
	var co *C.plexauth_connect_options
	var cerr *C.plexauth_error
	if st := C.plexauth_connect_options_new(&co, &cerr); st != C.PLEXAUTH_OK {
		return nil, newError(st, cerr)
	}
	if o == nil {
		return co, nil
	}
	ms := func(d time.Duration) C.int64_t {
		if d < 0 {
			return 0
		}
		return millis(d)
	}
	err := func() error {
		if o.Locations != 0 {
			if err := checkSetter("ConnectOptions.Locations",
				C.plexauth_connect_options_set_locations(co, C.uint(o.Locations))); err != nil {
				return err
			}
		}
		if o.Schemes != 0 {
			if o.Schemes&^(SchemeHTTPS|SchemeHTTP) != 0 {
				return invalidArgument("invalid ConnectOptions.Schemes")
			}
			if err := checkSetter("ConnectOptions.Schemes", C.plexauth_connect_options_set_schemes(co,
				cBool(o.Schemes&SchemeHTTPS != 0), cBool(o.Schemes&SchemeHTTP != 0))); err != nil {
				return err
			}
		}
		if o.Stagger != 0 {
			if err := checkSetter("ConnectOptions.Stagger",
				C.plexauth_connect_options_set_stagger_ms(co, ms(o.Stagger))); err != nil {
				return err
			}
		}
		if o.Grace != 0 {
			if err := checkSetter("ConnectOptions.Grace",
				C.plexauth_connect_options_set_grace_ms(co, ms(o.Grace))); err != nil {
				return err
			}
		}
		if o.Deadline < 0 {
			return invalidArgument("invalid ConnectOptions.Deadline")
		}
		if o.Deadline != 0 {
			if err := checkSetter("ConnectOptions.Deadline",
				C.plexauth_connect_options_set_deadline_ms(co, millis(o.Deadline))); err != nil {
				return err
			}
		}
		if o.Cache != nil {
			o.Cache.mu.RLock()
			defer o.Cache.mu.RUnlock()
			if o.Cache.ptr == nil {
				return invalidArgument("ConnectOptions.Cache is closed")
			}
			// The options take a reference: the cache lives while they do.
			if err := checkSetter("ConnectOptions.Cache",
				C.plexauth_connect_options_set_cache(co, o.Cache.ptr)); err != nil {
				return err
			}
		}
		return nil
	}()
	if err != nil {
		C.plexauth_connect_options_free(co)
		return nil, err
	}
	return co, nil
}

// Connect finds a working connection to a server of ListResources, fast:
// its connections are ordered local -> remote -> relay, https before http,
// IPv6 last (the cache's remembered one first), and each is probed with
// GET {uri}/identity carrying the client's identity headers and the
// resource's accessToken, staggered; a probe succeeds when the server
// answers with the resource's ClientIdentifier. The best success wins.
//
// It runs on the library's loop (no OS thread held while waiting); ctx
// ending cancels it (ErrCancelled, unwrapping to ctx's error). opts may be
// nil. Nothing answering as the server before the deadline gives an error
// matching ErrUnreachable, whose message has a line per candidate; a nil
// resource or one without ClientIdentifier gives ErrInvalidArgument.
func (c *Client) Connect(ctx context.Context, resource *Resource, opts *ConnectOptions) (*ConnectResult, error) {
	if resource == nil {
		return nil, invalidArgument("nil resource")
	}
	if ctx == nil {
		return nil, invalidArgument("nil context")
	}
	res, err := resourceToC(resource)
	if err != nil {
		return nil, err
	}
	defer C.plexauth_resources_free(res)
	dev := C.plexauth_resources_devices_at(res, 0)
	if dev == nil {
		return nil, invalidArgument("the resource could not be read back")
	}
	copts, err := opts.toC()
	if err != nil {
		return nil, err
	}
	defer C.plexauth_connect_options_free(copts) // the start copies them
	var out *C.plexauth_connect_result
	err = c.start(ctx, &noOptions, func(cl *C.plexauth_client, _ *C.plexauth_call_options, call **C.plexauth_call,
		done C.plexauth_call_done_fn, ud unsafe.Pointer, e **C.plexauth_error) C.plexauth_status {
		return C.plexauth_client_connect_start(call, cl, dev, copts, nil, done, ud, e)
	}, func(call *C.plexauth_call, e **C.plexauth_error) C.plexauth_status {
		return C.plexauth_client_connect_finish(&out, call, e)
	})
	if err != nil {
		return nil, err
	}
	defer C.plexauth_connect_result_free(out) // wipes its token
	return readConnectResult(out)
}

// wireConnectResult is plexauth_connect_result_json.
type wireConnectResult struct {
	URI               string  `json:"uri"`
	MachineIdentifier string  `json:"machineIdentifier"`
	Name              string  `json:"name"`
	Version           string  `json:"version"`
	AccessToken       *string `json:"accessToken"`
	ElapsedMs         int64   `json:"elapsedMs"`
	Attempts          []struct {
		URI        string `json:"uri"`
		Location   string `json:"location"`
		HTTPS      bool   `json:"https"`
		IPv6       bool   `json:"ipv6"`
		Remembered bool   `json:"remembered"`
		Outcome    string `json:"outcome"`
		Status     string `json:"status"`
		HTTPStatus int    `json:"httpStatus"`
		StartedMs  int64  `json:"startedMs"`
		ElapsedMs  int64  `json:"elapsedMs"`
		Message    string `json:"message"`
	} `json:"attempts"`
}

func readConnectResult(out *C.plexauth_connect_result) (*ConnectResult, error) {
	var n C.size_t
	p := C.plexauth_connect_result_json(out, &n)
	if p == nil {
		return nil, errCopy()
	}
	text := unsafe.Slice((*byte)(unsafe.Pointer(p)), int(n)) // C memory, wiped by the free
	var w wireConnectResult
	if err := json.Unmarshal(text, &w); err != nil {
		return nil, &Error{Status: StatusInternal, Message: "cannot read the connect result"}
	}
	r := &ConnectResult{
		URI:               w.URI,
		MachineIdentifier: w.MachineIdentifier,
		Name:              w.Name,
		Version:           w.Version,
		AccessToken:       w.AccessToken,
		Elapsed:           time.Duration(w.ElapsedMs) * time.Millisecond,
		Attempts:          make([]ConnectAttempt, len(w.Attempts)),
	}
	dur := func(ms int64) time.Duration {
		if ms < 0 {
			return -1
		}
		return time.Duration(ms) * time.Millisecond
	}
	for i, a := range w.Attempts {
		r.Attempts[i] = ConnectAttempt{
			URI: a.URI, Location: a.Location, HTTPS: a.HTTPS, IPv6: a.IPv6, Remembered: a.Remembered,
			Outcome: a.Outcome, Status: statusNamed(a.Status), HTTPStatus: a.HTTPStatus,
			Started: dur(a.StartedMs), Elapsed: dur(a.ElapsedMs), Message: a.Message,
		}
	}
	return r, nil
}

var (
	statusNamesOnce sync.Once
	statusNames     map[string]Status
)

// statusNamed maps a status name (plexauth_status_name) back to its Status;
// an unknown name gives StatusInternal.
func statusNamed(name string) Status {
	statusNamesOnce.Do(func() {
		statusNames = map[string]Status{StatusOK.String(): StatusOK}
		for s := range sentinels {
			statusNames[s.String()] = s
		}
	})
	if s, ok := statusNames[name]; ok {
		return s
	}
	return StatusInternal
}

// resourceToC writes r as a one-device list_resources body and reads it
// into a C plexauth_resources (free it with plexauth_resources_free).
func resourceToC(r *Resource) (*C.plexauth_resources, error) {
	var bad error
	device := wireValue(reflect.ValueOf(*r), "Resource", &bad)
	if bad != nil {
		return nil, bad
	}
	b, err := json.Marshal([]any{device})
	if err != nil {
		return nil, invalidArgument("the resource cannot be written as JSON")
	}
	cs := (*C.char)(C.CBytes(append(b, 0)))
	clear(b) // it holds the access token
	defer C.plexauthgo_wipe_free(cs)
	var res *C.plexauth_resources
	var cerr *C.plexauth_error
	if st := C.plexauth_resources_from_json(&res, cs, &cerr); st != C.PLEXAUTH_OK {
		return nil, newError(st, cerr)
	}
	return res, nil
}

// wireValue gives a model value as what encoding/json writes as its wire
// JSON: structs by their `plex` tags (absent pointers left out), lists of
// models as arrays. A string that is not UTF-8 (which encoding/json would
// quietly replace) or holds a NUL byte sets *bad (naming the field, never
// quoting the value) as the library refuses them.
func wireValue(v reflect.Value, what string, bad *error) any {
	switch v.Kind() {
	case reflect.String:
		if s := v.String(); (!utf8.ValidString(s) || strings.IndexByte(s, 0) >= 0) && *bad == nil {
			*bad = invalidArgument(what + " is not valid UTF-8 or contains a NUL byte")
		}
	case reflect.Pointer:
		if v.IsNil() {
			return nil
		}
		return wireValue(v.Elem(), what, bad)
	case reflect.Struct:
		out := map[string]any{}
		t := v.Type()
		for i := 0; i < t.NumField(); i++ {
			tag, _, _ := strings.Cut(t.Field(i).Tag.Get("plex"), ",")
			f := v.Field(i)
			if tag == "" || tag == "-" || ((f.Kind() == reflect.Pointer || f.Kind() == reflect.Slice) && f.IsNil()) {
				continue
			}
			out[tag] = wireValue(f, what+"."+t.Field(i).Name, bad)
		}
		return out
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 { // json.RawMessage
			return json.RawMessage(v.Bytes())
		}
		out := make([]any, v.Len())
		for i := range out {
			out[i] = wireValue(v.Index(i), fmt.Sprintf("%s[%d]", what, i), bad)
		}
		return out
	}
	return v.Interface()
}
