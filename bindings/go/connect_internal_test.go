package plexauth

import (
	"reflect"
	"strconv"
	"testing"
)

// fillEvery sets every pointer field of the struct v points to (and one
// element of every list of structs) to a distinct value.
func fillEvery(t *testing.T, v reflect.Value, n *int) {
	t.Helper()
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		*n++
		switch {
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.String:
			s := "value-" + strconv.Itoa(*n)
			f.Set(reflect.ValueOf(&s))
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Int64:
			x := int64(*n)
			f.Set(reflect.ValueOf(&x))
		case f.Kind() == reflect.Pointer && f.Type().Elem().Kind() == reflect.Bool:
			b := *n%2 == 0
			f.Set(reflect.ValueOf(&b))
		case f.Kind() == reflect.Slice && f.Type().Elem().Kind() == reflect.Struct:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
			fillEvery(t, f.Index(0), n)
		default:
			t.Fatalf("%s.%s: a field of kind %v the test does not fill", v.Type(), v.Type().Field(i).Name, f.Kind())
		}
	}
}

// TestAResourceRoundTripsThroughItsWireJSON: a device with every field set
// goes to C (resourceToC: its JSON under the plex tags) and back unchanged,
// so no field of the model is lost on the way to plexauth_client_connect.
func TestAResourceRoundTripsThroughItsWireJSON(t *testing.T) {
	var r Resource
	n := 0
	fillEvery(t, reflect.ValueOf(&r).Elem(), &n)
	res, err := resourceToC(&r)
	if err != nil {
		t.Fatal(err)
	}
	back, err := readResources(res)
	if err != nil {
		t.Fatal(err)
	}
	if len(back.Devices) != 1 || !reflect.DeepEqual(back.Devices[0], r) {
		t.Fatalf("sent %#v\ngot %#v", r, back.Devices)
	}
	if *back.Devices[0].AccessToken != *r.AccessToken {
		t.Fatal("the token did not make it") // (String hides it, so compare it here)
	}
}

func TestConnectResultStatusNames(t *testing.T) {
	for _, st := range []Status{StatusOK, StatusTransport, StatusMalformedResponse, StatusUnreachable} {
		if got := statusNamed(st.String()); got != st {
			t.Errorf("%q -> %v", st.String(), got)
		}
	}
	if statusNamed("no_such_status") != StatusInternal {
		t.Error("an unknown name is not StatusInternal")
	}
}
