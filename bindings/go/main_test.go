package plexauth_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/plexauth/plexauth-go"
)

// The tests run against plexauth-fake (path in $PLEXAUTH_FAKE), started once
// on a free loopback port by TestMain. They share its fault queue and request
// log, so they do not run in parallel; each starts from POST /_fake/reset.

var (
	fakeBase  string // PMS base, e.g. http://127.0.0.1:PORT
	plexTVURL string // plex.tv API base on the fake: fakeBase + "/api/v2"
)

// Seeded data of the fake server.
const (
	tokenA       = "CxoUzBTSV5hsxjTpFKaf"
	loginA       = "username@email.com"
	passwordA    = "password123"
	tokenB       = "gHjKlMnOpQrStUvWxYz"
	loginB       = "user12345@example.com"
	passwordB    = "hunter2-secret"
	codeB        = "123456"
	revokedToken = "revokedTokenXXXXXXXX"
	knownSource  = "server://3381b62b9ab74e37"
	sourceToken  = "srcAccessTok0123456789"
)

func TestMain(m *testing.M) { os.Exit(runWithFake(m)) }

func runWithFake(m *testing.M) int {
	bin := os.Getenv("PLEXAUTH_FAKE")
	if bin == "" {
		fmt.Fprintln(os.Stderr, "PLEXAUTH_FAKE must name the plexauth-fake program (see README.md)")
		return 2
	}
	dir, err := os.MkdirTemp("", "plexauth-go-test-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	defer os.RemoveAll(dir)
	portFile := filepath.Join(dir, "port")
	cmd := exec.Command(bin, "--host", "127.0.0.1", "--port", "0", "--port-file", portFile, "--max-seconds", "900")
	cmd.Stdout, cmd.Stderr = io.Discard, os.Stderr
	if err := cmd.Start(); err != nil {
		fmt.Fprintln(os.Stderr, "cannot start plexauth-fake:", err)
		return 2
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	defer func() {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(5 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
	}()

	port, err := waitForPort(portFile, exited, 20*time.Second)
	if err != nil {
		fmt.Fprintln(os.Stderr, "plexauth-fake did not start:", err)
		return 2
	}
	fakeBase = "http://127.0.0.1:" + strconv.Itoa(port)
	plexTVURL = fakeBase + "/api/v2"
	return m.Run()
}

// waitForPort waits (bounded) until the fake has written its port and
// answers its control API.
func waitForPort(portFile string, exited <-chan struct{}, limit time.Duration) (int, error) {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		select {
		case <-exited:
			return 0, fmt.Errorf("it exited")
		default:
		}
		if b, err := os.ReadFile(portFile); err == nil {
			if port, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && port > 0 {
				resp, err := http.Get("http://127.0.0.1:" + strconv.Itoa(port) + "/_fake/requests")
				if err == nil {
					resp.Body.Close()
					return port, nil
				}
			}
		}
		time.Sleep(25 * time.Millisecond)
	}
	return 0, fmt.Errorf("no port after %v", limit)
}

// ---------------------------------------------------------------- control API

var control = &http.Client{Timeout: 10 * time.Second}

func controlDo(t *testing.T, method, path string, body any) []byte {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, fakeBase+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := control.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode/100 != 2 {
		t.Fatalf("%s %s: %d %s %v", method, path, resp.StatusCode, out, err)
	}
	return out
}

// setup resets the fake before the test and after it.
func setup(t *testing.T) {
	t.Helper()
	controlDo(t, "POST", "/_fake/reset", nil)
	t.Cleanup(func() { controlDo(t, "POST", "/_fake/reset", nil) })
}

type fault map[string]any

// queueFaults makes the next requests to path answer with faults, in order.
func queueFaults(t *testing.T, path string, faults ...fault) {
	t.Helper()
	controlDo(t, "POST", "/_fake/faults", map[string]any{"path": path, "faults": faults})
}

type recorded struct {
	Method  string
	Path    string
	Query   url.Values
	Headers http.Header
	Body    string
}

// requests returns the recorded requests to path ("" for all), control API
// calls excluded.
func requests(t *testing.T, path string) []recorded {
	t.Helper()
	var raw []struct {
		Method  string                     `json:"method"`
		Path    string                     `json:"path"`
		Query   json.RawMessage            `json:"query"`
		Headers map[string]json.RawMessage `json:"headers"`
		Body    string                     `json:"body"`
	}
	if err := json.Unmarshal(controlDo(t, "GET", "/_fake/requests", nil), &raw); err != nil {
		t.Fatal(err)
	}
	var out []recorded
	for _, r := range raw {
		if strings.HasPrefix(r.Path, "/_fake/") || (path != "" && r.Path != path) {
			continue
		}
		rec := recorded{Method: r.Method, Path: r.Path, Headers: http.Header{}, Body: r.Body}
		rec.Query = decodeQuery(t, r.Query)
		for name, v := range r.Headers {
			for _, s := range stringOrList(t, v) {
				rec.Headers.Add(name, s)
			}
		}
		out = append(out, rec)
	}
	return out
}

// decodeQuery accepts the query either as a string "a=1&b=2" or as an object.
func decodeQuery(t *testing.T, raw json.RawMessage) url.Values {
	t.Helper()
	if len(raw) == 0 || string(raw) == "null" {
		return url.Values{}
	}
	var s string
	if json.Unmarshal(raw, &s) == nil {
		v, err := url.ParseQuery(strings.TrimPrefix(s, "?"))
		if err != nil {
			t.Fatalf("query %q: %v", s, err)
		}
		return v
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatalf("query %s: %v", raw, err)
	}
	v := url.Values{}
	for k, x := range m {
		v[k] = stringOrList(t, x)
	}
	return v
}

func stringOrList(t *testing.T, raw json.RawMessage) []string {
	t.Helper()
	var s string
	if json.Unmarshal(raw, &s) == nil {
		return []string{s}
	}
	var l []string
	if err := json.Unmarshal(raw, &l); err != nil {
		t.Fatalf("not a string or list: %s", raw)
	}
	return l
}

// ---------------------------------------------------------------- clients

// fastRetry retries quickly so that retry tests take milliseconds.
var fastRetry = plexauth.RetryPolicy{
	InitialInterval: 5 * time.Millisecond,
	MaxInterval:     20 * time.Millisecond,
	MaxElapsed:      10 * time.Second,
}

// newClient creates a client pointed at the fake (unless o says otherwise),
// closed when the test ends.
func newClient(t *testing.T, o plexauth.Options) *plexauth.Client {
	t.Helper()
	if o.ServerURL == "" && o.IP == "" {
		o.ServerURL = fakeBase
	}
	if o.PlexTVURL == "" {
		o.PlexTVURL = plexTVURL
	}
	if o.ClientsURL == "" { // never the real clients.plex.tv
		o.ClientsURL = plexTVURL
	}
	if o.Retry == nil && !o.NoRetry {
		r := fastRetry
		o.Retry = &r
	}
	c, err := plexauth.NewClient(o)
	if err != nil {
		t.Fatalf("NewClient: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// deadPort returns a loopback port nobody listens on.
func deadPort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	l.Close()
	return port
}

// asError asserts that err is a *plexauth.Error matching sentinel.
func asError(t *testing.T, err, sentinel error) *plexauth.Error {
	t.Helper()
	if err == nil {
		t.Fatalf("got no error, want %v", sentinel)
	}
	var e *plexauth.Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v (%T) is not a *plexauth.Error", err, err)
	}
	if !errors.Is(err, sentinel) {
		t.Fatalf("error %v (status %v) does not match %v", err, e.Status, sentinel)
	}
	return e
}

func ptr[T any](v T) *T { return &v }
