package plexauth_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/plexauth/plexauth-go"
)

// ListResources and Connect against the fake's topology of loopback servers
// (tests/fake/README.md "Topology"): real black holes, refusals, a server
// answering with another identifier, and a relay that answers.

const (
	officeID    = "0ff1ce0000000000"
	officeToken = "officeTok123"
	connectID   = "go-connect-test-client"
	// What the fake's wrong_id connections answer as machineIdentifier.
	wrongMachineID = "ffffffffffffffffffffffffffffffff"
)

// setTopology replaces account A's resources with one server, Office, with
// the given connections (JSON objects); it is torn down by setup's reset.
func setTopology(t *testing.T, connections ...string) {
	t.Helper()
	var conns []any
	for _, c := range connections {
		var v any
		if err := json.Unmarshal([]byte(c), &v); err != nil {
			t.Fatal(err)
		}
		conns = append(conns, v)
	}
	controlDo(t, "POST", "/_fake/topology", map[string]any{"servers": []any{map[string]any{
		"name": "Office", "clientIdentifier": officeID, "owned": true, "accessToken": officeToken,
		"connections": conns,
	}}})
}

func connectClient(t *testing.T) *plexauth.Client {
	return newClient(t, plexauth.Options{Token: tokenA, ClientID: connectID, ClientName: "plexauth-go tests"})
}

// office lists account A's resources and returns the Office server.
func office(t *testing.T, c *plexauth.Client) *plexauth.Resource {
	t.Helper()
	res, err := c.ListResources(context.Background())
	if err != nil {
		t.Fatalf("ListResources: %v", err)
	}
	for i := range res.Devices {
		if d := &res.Devices[i]; d.ClientIdentifier != nil && *d.ClientIdentifier == officeID {
			return d
		}
	}
	t.Fatalf("no Office among %v", res.Devices)
	return nil
}

// probe is a request the fake logged on one of the topology's ports.
type probe struct {
	Path    string
	Port    int
	Headers map[string]string
}

func probes(t *testing.T) []probe {
	t.Helper()
	var raw []struct {
		Path    string                     `json:"path"`
		Port    int                        `json:"port"`
		Headers map[string]json.RawMessage `json:"headers"`
	}
	if err := json.Unmarshal(controlDo(t, "GET", "/_fake/requests", nil), &raw); err != nil {
		t.Fatal(err)
	}
	var out []probe
	for _, r := range raw {
		if r.Path != "/identity" {
			continue
		}
		p := probe{Path: r.Path, Port: r.Port, Headers: map[string]string{}}
		for k, v := range r.Headers {
			p.Headers[strings.ToLower(k)] = strings.Join(stringOrList(t, v), ",")
		}
		out = append(out, p)
	}
	return out
}

func TestListResourcesGivesAccountADevices(t *testing.T) {
	setup(t)
	c := connectClient(t)
	res, err := c.ListResources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	sent := requests(t, "/api/v2/resources")
	if len(sent) != 1 {
		t.Fatalf("%d requests to /api/v2/resources", len(sent))
	}
	for _, q := range []string{"includeHttps", "includeRelay", "includeIPv6"} {
		if sent[0].Query.Get(q) != "1" {
			t.Errorf("query %v: %s not 1", sent[0].Query, q)
		}
	}
	if got := sent[0].Headers.Get("X-Plex-Token"); got != tokenA {
		t.Errorf("X-Plex-Token %q", got)
	}
	if len(res.Devices) != 3 {
		t.Fatalf("%d devices: %v", len(res.Devices), res.Devices)
	}
	living, shared, player := res.Devices[0], res.Devices[1], res.Devices[2]
	if living.Name == nil || *living.Name != "Living Room" {
		t.Errorf("first device %v", living)
	}
	if living.Owned == nil || !*living.Owned {
		t.Errorf("Living Room not owned: %v", living)
	}
	if living.AccessToken == nil || *living.AccessToken != sourceToken {
		t.Errorf("Living Room's access token: %v", living.AccessToken)
	}
	if len(living.Connections) == 0 || living.Connections[0].URI == nil {
		t.Errorf("Living Room's connections: %v", living.Connections)
	}
	if s := fmt.Sprintf("%v %#v %v", living, living, res); strings.Contains(s, sourceToken) {
		t.Errorf("the access token is printed: %s", s)
	}
	if shared.AccessToken != nil {
		t.Errorf("a null accessToken reads as %q", *shared.AccessToken)
	}
	if shared.Owned == nil || *shared.Owned || shared.OwnerID == nil {
		t.Errorf("shared server: %v", shared)
	}
	ipv6 := false
	for _, conn := range shared.Connections {
		if conn.IPv6 != nil && *conn.IPv6 {
			ipv6 = true
		}
	}
	if !ipv6 {
		t.Errorf("no IPv6 connection on the shared server: %v", shared.Connections)
	}
	if player.Provides == nil || *player.Provides != "client,player" {
		t.Errorf("player provides %v", player.Provides)
	}
}

func TestConnectPicksTheRelayPastBlackHolesRefusalAndWrongServer(t *testing.T) {
	setup(t)
	setTopology(t, `{"behaviour":"blackhole","local":true}`, `{"behaviour":"refuse"}`,
		`{"behaviour":"wrong_id"}`, `{"behaviour":"ok","relay":true,"delay_ms":20}`)
	c := connectClient(t)
	srv := office(t, c)
	ports := map[int]bool{}
	for _, conn := range srv.Connections {
		ports[int(*conn.Port)] = true
	}
	r, err := c.Connect(context.Background(), srv, &plexauth.ConnectOptions{
		Stagger: 50 * time.Millisecond, Grace: 20 * time.Millisecond, Deadline: 5 * time.Second,
	})
	if err != nil {
		t.Fatalf("Connect: %v", err)
	}
	if r.MachineIdentifier != officeID || r.Name != "Office" {
		t.Errorf("result %v", r)
	}
	if r.AccessToken == nil || *r.AccessToken != officeToken {
		t.Errorf("access token %v", r.AccessToken)
	}
	if s := fmt.Sprintf("%v %#v %+v", r, r, *r); strings.Contains(s, officeToken) {
		t.Errorf("the token is printed: %s", s)
	}
	if len(r.Attempts) != 4 {
		t.Fatalf("%d attempts: %v", len(r.Attempts), r.Attempts)
	}
	want := []struct {
		location, outcome string
		status            plexauth.Status
	}{
		{"local", "abandoned", plexauth.StatusOK},
		{"remote", "failed", plexauth.StatusTransport},
		{"remote", "failed", plexauth.StatusMalformedResponse},
		{"relay", "ok", plexauth.StatusOK},
	}
	for i, w := range want {
		a := r.Attempts[i]
		if a.Location != w.location || a.Outcome != w.outcome || a.Status != w.status {
			t.Errorf("attempt %d: %+v, want %s %s %v", i, a, w.location, w.outcome, w.status)
		}
		if a.HTTPS || a.IPv6 || a.Remembered || a.Started < 0 {
			t.Errorf("attempt %d: %+v", i, a)
		}
	}
	if r.URI != r.Attempts[3].URI || !strings.HasPrefix(r.URI, "http://127.0.0.1:") {
		t.Errorf("uri %q, relay %q", r.URI, r.Attempts[3].URI)
	}
	if !strings.Contains(r.Attempts[2].Message, wrongMachineID) { // the server that answered instead
		t.Errorf("wrong_id message %q", r.Attempts[2].Message)
	}
	if r.Attempts[3].Elapsed < 20*time.Millisecond || r.Elapsed < r.Attempts[3].Elapsed {
		t.Errorf("relay took %v of %v (it answers after 20 ms)", r.Attempts[3].Elapsed, r.Elapsed)
	}
	// The wrong server and the relay answered: both probes carried the
	// client's identity and the server's token, never the account's.
	got := 0
	for _, p := range probes(t) {
		if !ports[p.Port] {
			continue
		}
		got++
		if p.Headers["x-plex-client-identifier"] != connectID || p.Headers["x-plex-token"] != officeToken {
			t.Errorf("probe on port %d: %v", p.Port, p.Headers)
		}
	}
	if got != 2 {
		t.Errorf("%d /identity probes reached the topology, want 2", got)
	}
}

func TestConnectToBlackHolesIsUnreachableAtTheDeadline(t *testing.T) {
	setup(t)
	setTopology(t, `{"behaviour":"blackhole","local":true}`, `{"behaviour":"blackhole"}`,
		`{"behaviour":"blackhole","relay":true}`)
	c := connectClient(t)
	srv := office(t, c)
	t0 := time.Now()
	r, err := c.Connect(context.Background(), srv, &plexauth.ConnectOptions{
		Stagger: 20 * time.Millisecond, Grace: -1, Deadline: 300 * time.Millisecond,
	})
	took := time.Since(t0)
	if r != nil {
		t.Errorf("a result: %v", r)
	}
	e := asError(t, err, plexauth.ErrUnreachable)
	if !strings.Contains(e.Message, "within 300 ms") || !strings.Contains(e.Message, "3. ") {
		t.Errorf("message %q", e.Message)
	}
	if strings.Contains(e.Error(), officeToken) {
		t.Errorf("the token is in the error: %v", e)
	}
	if took < 250*time.Millisecond || took > 5*time.Second {
		t.Errorf("took %v with a 300 ms deadline", took)
	}
}

func TestConnectEndsWithItsContext(t *testing.T) {
	setup(t)
	setTopology(t, `{"behaviour":"blackhole"}`, `{"behaviour":"blackhole"}`)
	c := connectClient(t)
	srv := office(t, c)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	t0 := time.Now()
	_, err := c.Connect(ctx, srv, &plexauth.ConnectOptions{Deadline: time.Minute})
	asError(t, err, plexauth.ErrCancelled)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("%v does not unwrap to the context's error", err)
	}
	if took := time.Since(t0); took > 5*time.Second {
		t.Errorf("took %v after a 100 ms context", took)
	}
}

func TestConnectCacheTriesTheRememberedConnectionFirstAndSurvivesAFile(t *testing.T) {
	setup(t)
	setTopology(t, `{"behaviour":"blackhole","local":true}`, `{"behaviour":"ok"}`)
	c := connectClient(t)
	srv := office(t, c)
	cache, err := plexauth.NewConnectCache()
	if err != nil {
		t.Fatal(err)
	}
	defer cache.Close()
	opts := &plexauth.ConnectOptions{Stagger: 100 * time.Millisecond, Grace: -1, Deadline: 5 * time.Second, Cache: cache}
	first, err := c.Connect(context.Background(), srv, opts)
	if err != nil {
		t.Fatal(err)
	}
	if first.Attempts[0].Remembered || first.Attempts[0].Location != "local" || first.URI != first.Attempts[1].URI {
		t.Errorf("first connect: %v", first)
	}
	if first.Attempts[1].Started < 50*time.Millisecond {
		t.Errorf("the second probe started at %v, before the stagger", first.Attempts[1].Started)
	}
	if cache.Len() != 1 {
		t.Errorf("cache holds %d", cache.Len())
	}
	second, err := c.Connect(context.Background(), srv, opts)
	if err != nil {
		t.Fatal(err)
	}
	a := second.Attempts[0]
	if !a.Remembered || a.Outcome != "ok" || a.URI != first.URI || second.URI != first.URI {
		t.Errorf("second connect: %v", second)
	}

	path := filepath.Join(t.TempDir(), "connections.json")
	if err := cache.Save(path); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Stat(path); err != nil || st.Mode().Perm() != 0o600 {
		t.Errorf("saved file: %v %v", st, err)
	}
	loaded, err := plexauth.NewConnectCache()
	if err != nil {
		t.Fatal(err)
	}
	defer loaded.Close()
	if err := loaded.Load(path); err != nil || loaded.Len() != 1 {
		t.Fatalf("Load: %v, %d entries", err, loaded.Len())
	}
	third, err := c.Connect(context.Background(), srv, &plexauth.ConnectOptions{Deadline: 5 * time.Second, Cache: loaded})
	if err != nil {
		t.Fatal(err)
	}
	if !third.Attempts[0].Remembered || third.Attempts[0].Outcome != "ok" || third.Attempts[1].Outcome != "not_tried" {
		t.Errorf("with the loaded cache: %v", third)
	}
	// Not a cache file; a missing file is an empty cache.
	if err := os.WriteFile(path, []byte("<html>"), 0o600); err != nil {
		t.Fatal(err)
	}
	asError(t, loaded.Load(path), plexauth.ErrMalformedResponse)
	os.Remove(path)
	if err := loaded.Load(path); err != nil || loaded.Len() != 0 {
		t.Errorf("missing file: %v, %d entries", err, loaded.Len())
	}
}

func TestConnectRefusesBadInput(t *testing.T) {
	setup(t)
	setTopology(t, `{"behaviour":"ok"}`)
	c := connectClient(t)
	srv := office(t, c)
	ctx := context.Background()
	closed, err := plexauth.NewConnectCache()
	if err != nil {
		t.Fatal(err)
	}
	closed.Close()
	closed.Close() // idempotent
	cases := []struct {
		name string
		res  *plexauth.Resource
		opts *plexauth.ConnectOptions
	}{
		{"nil resource", nil, nil},
		{"no clientIdentifier", &plexauth.Resource{Name: ptr("x")}, nil},
		{"locations out of range", srv, &plexauth.ConnectOptions{Locations: 8}},
		{"unknown scheme", srv, &plexauth.ConnectOptions{Schemes: 4}},
		{"stagger over a minute", srv, &plexauth.ConnectOptions{Stagger: 2 * time.Minute}},
		{"grace over a minute", srv, &plexauth.ConnectOptions{Grace: 2 * time.Minute}},
		{"negative deadline", srv, &plexauth.ConnectOptions{Deadline: -time.Second}},
		{"deadline over 10 minutes", srv, &plexauth.ConnectOptions{Deadline: time.Hour}},
		{"closed cache", srv, &plexauth.ConnectOptions{Cache: closed}},
		{"NUL in a field", &plexauth.Resource{ClientIdentifier: ptr("a\x00b")}, nil},
		{"bad UTF-8", &plexauth.Resource{ClientIdentifier: ptr(officeID), Name: ptr("\xff")}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := c.Connect(ctx, tc.res, tc.opts)
			if r != nil {
				t.Errorf("a result: %v", r)
			}
			asError(t, err, plexauth.ErrInvalidArgument)
		})
	}
	var noCtx context.Context // a nil context is bad input too
	if _, err := c.Connect(noCtx, srv, nil); !errors.Is(err, plexauth.ErrInvalidArgument) {
		t.Errorf("nil context: %v", err)
	}
	asError(t, closed.Save(filepath.Join(t.TempDir(), "x")), plexauth.ErrInvalidArgument)
	if closed.Len() != 0 {
		t.Errorf("closed cache has %d", closed.Len())
	}
	// A resource that was never listed works too: connect needs only its
	// identifier and connections (here with the defaults, nil options).
	handMade := plexauth.Resource{ClientIdentifier: srv.ClientIdentifier, Connections: srv.Connections}
	r, err := c.Connect(ctx, &handMade, nil)
	if err != nil || r.MachineIdentifier != officeID || r.AccessToken != nil {
		t.Errorf("a hand-made resource: %v %v", r, err)
	}
	c.Close()
	asError(t, func() error { _, err := c.Connect(ctx, srv, nil); return err }(), plexauth.ErrInvalidArgument)
}
