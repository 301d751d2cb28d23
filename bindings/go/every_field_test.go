package plexauth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/plexauth/plexauth-go"
)

// everyField is tests/fixtures/every_field.json (written by codegen/emit_c.py):
// per result model, a response body with a distinct value in every field, and
// each field's wire path and expected value.
type everyField map[string]struct {
	Operation string          `json:"operation"`
	Path      string          `json:"path"`
	Status    int             `json:"status"`
	Body      json.RawMessage `json:"body"`
	Fields    []struct {
		Model string          `json:"model"`
		Wire  string          `json:"wire"`
		Path  string          `json:"path"`
		Kind  string          `json:"kind"`
		Go    string          `json:"go"`
		Value json.RawMessage `json:"value"`
	} `json:"fields"`
}

// operationCalls: the generated methods (operations_gen_test.go) and the
// hand-written seed ones.
func operationCalls() map[string]func(context.Context, *plexauth.Client) (any, error) {
	calls := map[string]func(context.Context, *plexauth.Client) (any, error){
		"get_transient_token": func(ctx context.Context, c *plexauth.Client) (any, error) {
			return c.GetTransientToken(ctx)
		},
		"post_users_sign_in_data": func(ctx context.Context, c *plexauth.Client) (any, error) {
			return c.SignIn(ctx, plexauth.SignInRequest{Login: loginA, Password: passwordA})
		},
	}
	for name, call := range generatedCalls {
		calls[name] = call
	}
	return calls
}

// TestEveryField serves each fixture body through the fake and reads every
// field back through the public Go model.
func TestEveryField(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "tests", "fixtures", "every_field.json"))
	if err != nil {
		t.Fatal(err)
	}
	var fixture everyField
	if err := json.Unmarshal(b, &fixture); err != nil {
		t.Fatal(err)
	}
	calls := operationCalls()
	names := make([]string, 0, len(fixture))
	for name := range fixture {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		entry := fixture[name]
		t.Run(name, func(t *testing.T) {
			call, ok := calls[entry.Operation]
			if !ok {
				t.Fatalf("no Go call for operation %s (hand-written ones: operationCalls)", entry.Operation)
			}
			setup(t)
			c := newClient(t, plexauth.Options{Token: tokenA, ClientID: "every-field", NoRetry: true})
			queueFaults(t, entry.Path, fault{"status": entry.Status, "content_type": "application/json",
				"body": string(entry.Body)})
			result, err := call(context.Background(), c)
			if err != nil {
				t.Fatal(err)
			}
			shown := fmt.Sprintf("%v %+v %#v %s", result, result, result, result)
			if len(entry.Fields) == 0 {
				t.Fatal("the fixture lists no fields")
			}
			for _, row := range entry.Fields {
				field, got, err := lookup(reflect.ValueOf(result), row.Path)
				if err != nil {
					t.Errorf("%s: %v", row.Path, err)
					continue
				}
				wantName := row.Go
				if field.Name != wantName && !strings.HasSuffix(field.Name, wantName) { // inline: Billing + PaymentMethodID
					t.Errorf("%s: Go field %s, the fixture says %s", row.Path, field.Name, wantName)
				}
				if row.Kind == "list_len" { // a list of objects: its length (its items have rows of their own)
					got = reflect.ValueOf(got.Len())
				}
				if err := sameValue(got, row.Value); err != nil {
					t.Errorf("%s (%s): %v", row.Path, field.Name, err)
				}
				if strings.HasSuffix(field.Tag.Get("plex"), ",secret") {
					var secret string
					if json.Unmarshal(row.Value, &secret) != nil || secret == "" {
						t.Fatalf("%s: secret value %s", row.Path, row.Value)
					}
					if strings.Contains(shown, secret) {
						t.Errorf("%s: the secret shows in %s", row.Path, shown)
					}
				}
			}
		})
	}
}

// lookup follows a fixture path ("services[0].token",
// "pastSubscriptions[0].billing.paymentMethodId") through the models by their
// plex tags; an inline field's tag holds its dotted path.
func lookup(v reflect.Value, path string) (reflect.StructField, reflect.Value, error) {
	for {
		for v.Kind() == reflect.Pointer {
			if v.IsNil() {
				return reflect.StructField{}, v, fmt.Errorf("nil before %q", path)
			}
			v = v.Elem()
		}
		if v.Kind() != reflect.Struct {
			return reflect.StructField{}, v, fmt.Errorf("%s is not a model at %q", v.Type(), path)
		}
		var best reflect.StructField
		tag := ""
		for i := 0; i < v.NumField(); i++ {
			f := v.Type().Field(i)
			t, _, _ := strings.Cut(f.Tag.Get("plex"), ",")
			if t == "" || t == "-" || len(t) <= len(tag) {
				continue
			}
			if path == t || strings.HasPrefix(path, t+".") || strings.HasPrefix(path, t+"[") {
				best, tag = f, t
			}
		}
		if tag == "" {
			return best, v, fmt.Errorf("no field of %s for %q", v.Type(), path)
		}
		v, path = v.FieldByIndex(best.Index), path[len(tag):]
		if strings.HasPrefix(path, "[") {
			end := strings.IndexByte(path, ']')
			i, err := strconv.Atoi(path[1:end])
			if err != nil || v.Kind() != reflect.Slice || i >= v.Len() {
				return best, v, fmt.Errorf("no item %s in %s (%d items)", path[:end+1], best.Name, v.Len())
			}
			v, path = v.Index(i), path[end+1:]
		}
		if path == "" {
			return best, v, nil
		}
		path = strings.TrimPrefix(path, ".")
	}
}

// sameValue compares a model field with the fixture's value as JSON: strings,
// integers (times as Unix seconds), booleans, JSON objects, lists, counts.
func sameValue(got reflect.Value, want json.RawMessage) error {
	if got.Kind() == reflect.Pointer && got.IsNil() {
		return errors.New("absent, want " + string(want))
	}
	gotJSON, err := json.Marshal(got.Interface())
	if err != nil {
		return err
	}
	var g, w any
	if err := json.Unmarshal(gotJSON, &g); err != nil {
		return err
	}
	if err := json.Unmarshal(want, &w); err != nil {
		return err
	}
	if !reflect.DeepEqual(g, w) {
		return fmt.Errorf("got %s, want %s", gotJSON, want)
	}
	return nil
}

func TestPing(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA, ClientID: "ping-client", NoRetry: true})
	pong, err := c.Ping(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if pong.Pong == nil || !*pong.Pong || pong.Raw.Status != 200 {
		t.Fatalf("pong = %v", pong)
	}
	reqs := requests(t, "/api/v2/ping")
	if len(reqs) != 1 || reqs[0].Method != "GET" || reqs[0].Headers.Get("X-Plex-Token") != tokenA {
		t.Fatalf("requests: %+v", reqs)
	}
}

func TestPingUnauthorized(t *testing.T) {
	setup(t)
	const badToken = "notAValidTokenAtAll1"
	c := newClient(t, plexauth.Options{Token: badToken, NoRetry: true})
	pong, err := c.Ping(context.Background())
	e := asError(t, err, plexauth.ErrUnauthorized)
	if pong != nil || e.HTTPStatus != 401 || len(e.PlexErrors) != 1 || e.PlexErrors[0].Code != 1001 {
		t.Fatalf("pong %v, error %+v", pong, e)
	}
	if strings.Contains(fmt.Sprintf("%v %+v %s", err, e, e.Body), badToken) {
		t.Fatal("the token shows in the error")
	}
}

// uname(2)'s system name, e.g. "Linux".
func sysname(t *testing.T) string {
	var u syscall.Utsname
	if err := syscall.Uname(&u); err != nil {
		t.Fatal(err)
	}
	var b []byte
	for _, c := range u.Sysname {
		if c == 0 {
			break
		}
		b = append(b, byte(c))
	}
	return string(b)
}

func TestPerCallIdentity(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA, ClientID: "client-wide", ClientName: "App"})
	ctx := context.Background()
	if _, err := c.Ping(ctx, plexauth.WithClientID("per-call"), plexauth.WithPlatform("Plan9"),
		plexauth.WithClientVersion("9.9"), plexauth.WithDeviceNickname("box")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	reqs := requests(t, "/api/v2/ping")
	if len(reqs) != 2 {
		t.Fatalf("%d requests", len(reqs))
	}
	for i, want := range []map[string]string{
		{"X-Plex-Client-Identifier": "per-call", "X-Plex-Product": "App", "X-Plex-Platform": "Plan9",
			"X-Plex-Version": "9.9", "X-Plex-Device": "box"},
		// Unset: the library's default platform (uname's system name).
		{"X-Plex-Client-Identifier": "client-wide", "X-Plex-Product": "App", "X-Plex-Platform": sysname(t)},
	} {
		for h, v := range want {
			if got := reqs[i].Headers.Get(h); got != v {
				t.Errorf("request %d: %s = %q, want %q", i, h, got, v)
			}
		}
	}
}

func TestModelsHideSecrets(t *testing.T) {
	a := plexauth.Account{AuthToken: ptr("tokenTOKENtoken"), Username: ptr("name"), Pin: ptr("1234hash"),
		Services: []plexauth.Service{{Token: ptr("svcTOKEN"), Secret: ptr("svcSECRET"), Identifier: ptr("epg")}}}
	for _, shown := range []string{fmt.Sprint(a), fmt.Sprintf("%+v", &a), fmt.Sprintf("%#v", a)} {
		for _, secret := range []string{"tokenTOKENtoken", "1234hash", "svcTOKEN", "svcSECRET"} {
			if strings.Contains(shown, secret) {
				t.Errorf("%q shows %s", shown, secret)
			}
		}
		if !strings.Contains(shown, `Username:"name"`) || !strings.Contains(shown, "AuthToken:[redacted]") ||
			!strings.Contains(shown, `Identifier:"epg"`) {
			t.Errorf("%q does not show the fields", shown)
		}
	}
}

// IgnoreEnvProxy: a proxy variable naming a dead loopback port is ignored.
func TestIgnoreEnvProxy(t *testing.T) {
	setup(t)
	t.Setenv("http_proxy", "http://127.0.0.1:9")
	t.Setenv("no_proxy", "")
	t.Setenv("NO_PROXY", "")
	c := newClient(t, plexauth.Options{Token: tokenA, NoRetry: true, IgnoreEnvProxy: true})
	if _, err := c.Ping(context.Background()); err != nil {
		t.Fatalf("with the proxy variables ignored: %v", err)
	}
	if reqs := requests(t, "/api/v2/ping"); len(reqs) != 1 {
		t.Fatalf("requests: %+v", reqs)
	}
}
