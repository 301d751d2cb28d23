package plexauth

/*
#include <plexauth/plexauth.h>
#include "bridge_gen.h"
*/
import "C"

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/textproto"
	"reflect"
	"strings"
	"unsafe"
)

// Results are plain Go values copied out of the library's result objects
// (which are freed before the method returns). The models themselves, their
// String methods and the mapping from the C views are generated from
// codegen/api.py (models_gen.go, bridge_gen.c); this file holds the helpers
// they use.

// RawResponse is the HTTP response behind a result.
type RawResponse struct {
	Status      int
	ContentType string // "" when absent
	Header      http.Header
	Body        []byte
}

// view turns the strings and optional values of one result view (bridge.h)
// into Go values. The strings are substrings of one Go copy of the view's
// text, and the *string, *int64 and *bool fields point into shared backing
// arrays, so that a result costs a few allocations instead of one or two per
// field. Appending beyond a backing array's capacity starts a new one; the
// pointers handed out before stay valid.
type view struct {
	text  string
	items []C.plexauthgo_str // C memory: valid until the view is freed
	strs  []string
	ints  []int64
	bools []bool
}

// newView reads a result view's strings; strs, ints and bools are the
// (empty, preallocated) backing arrays of its pointer fields.
func newView(head *C.plexauthgo_result, strs []string, ints []int64, bools []bool) view {
	s := &head.s
	return view{
		text:  string(unsafe.Slice((*byte)(unsafe.Pointer(s.text)), int(s.text_len))),
		items: unsafe.Slice(s.items, int(s.item_count)),
		strs:  strs,
		ints:  ints,
		bools: bools,
	}
}

func (v *view) at(s C.plexauthgo_str) string {
	return v.text[s.off : s.off+s.len]
}

func (v *view) str(s C.plexauthgo_str) *string {
	if s.ok == 0 {
		return nil
	}
	v.strs = append(v.strs, v.at(s))
	return &v.strs[len(v.strs)-1]
}

func (v *view) i64(x C.plexauthgo_int) *int64 {
	if x.ok == 0 {
		return nil
	}
	v.ints = append(v.ints, int64(x.v))
	return &v.ints[len(v.ints)-1]
}

func (v *view) boolean(x C.plexauthgo_int) *bool {
	if x.ok == 0 {
		return nil
	}
	v.bools = append(v.bools, x.v != 0)
	return &v.bools[len(v.bools)-1]
}

// json gives a JSON field's compact text; nil when absent.
func (v *view) json(s C.plexauthgo_str) json.RawMessage {
	if s.ok == 0 {
		return nil
	}
	return json.RawMessage(v.at(s))
}

// list gives a list of strings; an empty list is nil.
func (v *view) list(l C.plexauthgo_list) []string {
	if l.count == 0 {
		return nil
	}
	out := make([]string, l.count)
	for i, s := range v.items[l.first : l.first+l.count] {
		out[i] = v.at(s)
	}
	return out
}

func (v *view) response(r *C.plexauthgo_response) RawResponse {
	if r.ok == 0 {
		return RawResponse{}
	}
	raw := RawResponse{
		Status: int(r.status),
		Body:   make([]byte, int(r.body_len)),
	}
	if r.content_type.ok != 0 {
		raw.ContentType = v.at(r.content_type)
	}
	copy(raw.Body, unsafe.Slice((*byte)(unsafe.Pointer(r.body)), int(r.body_len)))
	// As http.Header.Add would, with the values in one backing array.
	pairs := v.items[r.headers.first : r.headers.first+r.headers.count]
	raw.Header = make(http.Header, len(pairs)/2)
	for i := 0; i+1 < len(pairs); i += 2 {
		name, value := textproto.CanonicalMIMEHeaderKey(v.at(pairs[i])), v.at(pairs[i+1])
		if old, ok := raw.Header[name]; ok {
			raw.Header[name] = append(old, value)
		} else {
			v.strs = append(v.strs, value)
			n := len(v.strs)
			raw.Header[name] = v.strs[n-1 : n : n]
		}
	}
	return raw
}

// mapEach maps each element of a C array (viewed as a slice); nil when it is
// empty, as the fields document.
func mapEach[From, To any](xs []From, f func(*From) To) []To {
	if len(xs) == 0 {
		return nil
	}
	out := make([]To, len(xs))
	for i := range xs {
		out[i] = f(&xs[i])
	}
	return out
}

// errCopy reports that a result could not be copied out of the library.
func errCopy() error {
	return &Error{Status: StatusOutOfMemory, Message: "cannot copy the result"}
}

// modelWriter writes a model for String: Name{Field:value ...}, present
// fields only, secrets as [redacted], the raw response without its body
// (which may hold secrets).
type modelWriter struct {
	name string
	b    strings.Builder
}

func (w *modelWriter) sep(field string) {
	if w.b.Len() > 0 {
		w.b.WriteByte(' ')
	}
	w.b.WriteString(field)
	w.b.WriteByte(':')
}

// field writes v unless it is a nil pointer or an empty slice; pointers are
// shown by their value.
func (w *modelWriter) field(field string, v any) {
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Pointer:
		if rv.IsNil() {
			return
		}
		rv = rv.Elem()
	case reflect.Slice:
		if rv.Len() == 0 {
			return
		}
		if raw, ok := v.(json.RawMessage); ok {
			w.sep(field)
			w.b.Write(raw)
			return
		}
	}
	w.sep(field)
	if rv.Kind() == reflect.String {
		fmt.Fprintf(&w.b, "%q", rv.String())
	} else {
		fmt.Fprint(&w.b, rv.Interface())
	}
}

func (w *modelWriter) secret(field string, present bool) {
	if present {
		w.sep(field)
		w.b.WriteString("[redacted]")
	}
}

func (w *modelWriter) raw(r *RawResponse) {
	if r.Status != 0 {
		w.sep("Raw")
		fmt.Fprintf(&w.b, "{Status:%d ContentType:%q Body:%d bytes}", r.Status, r.ContentType, len(r.Body))
	}
}

func (w *modelWriter) done() string {
	return w.name + "{" + w.b.String() + "}"
}
