package plexauth_test

// The login journey helpers: the stable device identity, the hosted login
// URL, waiting for a PIN, a per-call token and the device name.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plexauth/plexauth-go"
)

var uuidV4 = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestClientIDLoadOrCreate(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "nested", "plexauth", "client_id")
	id, err := plexauth.ClientIDLoadOrCreate(path)
	if err != nil {
		t.Fatal(err)
	}
	if !uuidV4.MatchString(id) {
		t.Fatalf("id %q is not a UUIDv4", id)
	}
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("mode %v, want 0600", st.Mode().Perm())
	}
	b, err := os.ReadFile(path)
	if err != nil || strings.TrimSpace(string(b)) != id {
		t.Fatalf("file holds %q (%v), want %q", b, err, id)
	}
	again, err := plexauth.ClientIDLoadOrCreate(path)
	if err != nil || again != id {
		t.Fatalf("second call: %q, %v; want %q", again, err, id)
	}

	// A file that does not hold an identifier is refused and left alone.
	garbage := filepath.Join(dir, "garbage")
	content := []byte("not an identifier\x00\xff\n\n\n")
	if err := os.WriteFile(garbage, content, 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := plexauth.ClientIDLoadOrCreate(garbage)
	asError(t, err, plexauth.ErrInvalidArgument)
	if got != "" {
		t.Fatalf("got %q with an error", got)
	}
	if b, _ := os.ReadFile(garbage); !bytes.Equal(b, content) {
		t.Fatalf("the file was changed: %q", b)
	}

	_, err = plexauth.ClientIDLoadOrCreate("a\x00b")
	asError(t, err, plexauth.ErrInvalidArgument)
}

func TestClientIDLoadOrCreateDefaultPath(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", dir) // never the real home
	id, err := plexauth.ClientIDLoadOrCreate("")
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "plexauth", "client_id"))
	if err != nil || strings.TrimSpace(string(b)) != id || !uuidV4.MatchString(id) {
		t.Fatalf("default file holds %q (%v), id %q", b, err, id)
	}
	if again, err := plexauth.ClientIDLoadOrCreate(""); err != nil || again != id {
		t.Fatalf("second call: %q, %v", again, err)
	}
}

func TestLoginURL(t *testing.T) {
	c := newClient(t, plexauth.Options{ClientID: "id 1&2", ClientName: "My Cool App"})
	const base = "https://app.plex.tv/auth#?clientID=id%201%262&code=ABCD&context%5Bdevice%5D%5Bproduct%5D=My%20Cool%20App"
	u, err := c.LoginURL("ABCD", "")
	if err != nil || u != base {
		t.Fatalf("LoginURL = %q, %v\nwant %q", u, err, base)
	}
	u, err = c.LoginURL("ABCD", "https://app.example/cb?flow_id=1")
	if want := base + "&forwardUrl=https%3A%2F%2Fapp.example%2Fcb%3Fflow_id%3D1"; err != nil || u != want {
		t.Fatalf("LoginURL = %q, %v\nwant %q", u, err, want)
	}
	for _, bad := range []string{"myapp://x", "/relative", "https://user:pw@app.example/"} {
		if _, err := c.LoginURL("ABCD", bad); !errors.Is(err, plexauth.ErrInvalidArgument) {
			t.Errorf("forward URL %q: %v, want invalid argument", bad, err)
		}
	}

	// Longer than the first buffer: the size is negotiated.
	long := strings.Repeat("x", 2000)
	u, err = c.LoginURL(long, "")
	if err != nil || !strings.Contains(u, "&code="+long+"&") {
		t.Fatalf("long code: %d bytes, %v", len(u), err)
	}

	noID := newClient(t, plexauth.Options{ClientName: "App"})
	if _, err := noID.LoginURL("ABCD", ""); !errors.Is(err, plexauth.ErrInvalidArgument) {
		t.Fatalf("without a client id: %v", err)
	}
	_ = c.Close()
	if _, err := c.LoginURL("ABCD", ""); !errors.Is(err, plexauth.ErrInvalidArgument) {
		t.Fatalf("closed client: %v", err)
	}
}

// controlPost calls the fake's control API from any goroutine (no t).
func controlPost(path string, body any) error {
	b, err := json.Marshal(body)
	if err != nil {
		return err
	}
	resp, err := control.Post(fakeBase+path, "application/json", bytes.NewReader(b))
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("%s: HTTP %d", path, resp.StatusCode)
	}
	return nil
}

func TestWaitForPINApproved(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{ClientID: "wait-client-1", NoRetry: true})
	pin := createPIN(t, c, true)

	var calls int
	var codes []string
	var lefts []time.Duration
	approved := make(chan error, 1)
	got, err := c.WaitForPIN(context.Background(), *pin.ID, plexauth.WaitOptions{
		PollInterval: 100 * time.Millisecond,
		Progress: func(code string, left time.Duration) error {
			calls++
			codes = append(codes, code)
			lefts = append(lefts, left)
			if calls == 3 { // after three polls, the user approves from elsewhere
				go func() { approved <- controlPost("/_fake/pins/approve", map[string]any{"id": *pin.ID, "login": loginA}) }()
			}
			return nil
		},
	})
	if err != nil {
		t.Fatalf("WaitForPIN: %v", err)
	}
	if err := <-approved; err != nil {
		t.Fatal(err)
	}
	if got.AuthToken == nil || *got.AuthToken != tokenA || *got.ID != *pin.ID {
		t.Fatalf("pin %v: token present %v", got, got.AuthToken != nil)
	}
	if calls < 3 {
		t.Fatalf("progress called %d times", calls)
	}
	for i := range codes {
		if codes[i] != *pin.Code || lefts[i] <= 0 || lefts[i] > 1800*time.Second {
			t.Fatalf("progress %d: code %q (want %q), left %v", i, codes[i], *pin.Code, lefts[i])
		}
	}
	if polls := len(requests(t, pinPath(*pin.ID))); polls < 4 {
		t.Fatalf("%d polls", polls)
	}
	if strings.Contains(fmt.Sprintf("%v %+v", got, *got), tokenA) {
		t.Fatal("the PIN shows its token")
	}
}

func TestWaitForPINExpired(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{ClientID: "wait-client-2", NoRetry: true})
	pin := createPIN(t, c, false)
	expired := make(chan error, 1)
	var calls int
	_, err := c.WaitForPIN(context.Background(), *pin.ID, plexauth.WaitOptions{
		PollInterval: 100 * time.Millisecond,
		Progress: func(string, time.Duration) error {
			if calls++; calls == 2 {
				go func() { expired <- controlPost("/_fake/pins/expire", map[string]any{"id": *pin.ID}) }()
			}
			return nil
		},
	})
	asError(t, err, plexauth.ErrPINExpired)
	if err := <-expired; err != nil {
		t.Fatal(err)
	}
}

func TestWaitForPINTimeout(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{ClientID: "wait-client-3", NoRetry: true})
	pin := createPIN(t, c, false)
	start := time.Now()
	_, err := c.WaitForPIN(context.Background(), *pin.ID, plexauth.WaitOptions{
		PollInterval: 100 * time.Millisecond, Timeout: 350 * time.Millisecond,
	})
	asError(t, err, plexauth.ErrTimeout)
	if d := time.Since(start); d < 300*time.Millisecond || d > 5*time.Second {
		t.Fatalf("timed out after %v", d)
	}
}

func TestWaitForPINContextCancel(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{ClientID: "wait-client-4", NoRetry: true})
	pin := createPIN(t, c, false)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var cancelledAt atomic.Int64
	waiting := make(chan struct{})
	go func() {
		<-waiting
		time.Sleep(50 * time.Millisecond) // well into the 60 s pause
		cancelledAt.Store(time.Now().UnixNano())
		cancel()
	}()
	var once bool
	_, err := c.WaitForPIN(ctx, *pin.ID, plexauth.WaitOptions{
		PollInterval: 60 * time.Second,
		Progress: func(string, time.Duration) error {
			if !once {
				once = true
				close(waiting)
			}
			return nil
		},
	})
	returned := time.Now()
	e := asError(t, err, plexauth.ErrCancelled)
	if !errors.Is(err, context.Canceled) || e.Status != plexauth.StatusCancelled {
		t.Fatalf("error %v does not match context.Canceled", err)
	}
	if cancelledAt.Load() == 0 {
		t.Fatal("returned before the cancel")
	}
	if d := returned.Sub(time.Unix(0, cancelledAt.Load())); d > 100*time.Millisecond {
		t.Fatalf("returned %v after the cancel, want within 100 ms", d)
	}
}

func TestWaitForPINProgressStops(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{ClientID: "wait-client-5", NoRetry: true})
	pin := createPIN(t, c, false)
	errStop := errors.New("the user closed the dialog")
	var calls int
	_, err := c.WaitForPIN(context.Background(), *pin.ID, plexauth.WaitOptions{
		PollInterval: 100 * time.Millisecond,
		Progress: func(string, time.Duration) error {
			if calls++; calls == 2 {
				return errStop
			}
			return nil
		},
	})
	e := asError(t, err, plexauth.ErrCancelled)
	if !errors.Is(err, errStop) || errors.Is(err, context.Canceled) || calls != 2 {
		t.Fatalf("error %+v (calls %d) does not wrap the callback's error", e, calls)
	}
}

func TestWaitForPINProgressPanics(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{ClientID: "wait-client-6", NoRetry: true})
	pin := createPIN(t, c, false)
	_, err := c.WaitForPIN(context.Background(), *pin.ID, plexauth.WaitOptions{
		PollInterval: 100 * time.Millisecond,
		Progress:     func(string, time.Duration) error { panic("boom") },
	})
	asError(t, err, plexauth.ErrCallback)
	if !strings.Contains(errors.Unwrap(err).Error(), "boom") {
		t.Fatalf("cause %v", errors.Unwrap(err))
	}
	// The client still works.
	if _, err := c.GetPIN(context.Background(), *pin.ID); err != nil {
		t.Fatal(err)
	}
}

func TestWaitForPINInvalidArguments(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{ClientID: "wait-client-7", NoRetry: true})
	ctx := context.Background()
	for _, w := range []plexauth.WaitOptions{
		{PollInterval: -time.Second}, {Timeout: -time.Second},
		{PollInterval: 10 * time.Millisecond}, {PollInterval: 2 * time.Minute},
	} {
		if _, err := c.WaitForPIN(ctx, 1000001, w); !errors.Is(err, plexauth.ErrInvalidArgument) {
			t.Errorf("%+v: %v", w, err)
		}
	}
}

func TestPerCallToken(t *testing.T) {
	setup(t)
	const badToken = "badClientTokenZZZZZZ"
	c := newClient(t, plexauth.Options{Token: badToken, NoRetry: true})
	ctx := context.Background()
	opt := plexauth.WithToken(tokenA)
	if _, err := c.Ping(ctx, opt); err != nil {
		t.Fatalf("ping with the call's token: %v", err)
	}
	_, err := c.Ping(ctx)
	asError(t, err, plexauth.ErrUnauthorized)
	reqs := requests(t, "/api/v2/ping")
	if len(reqs) != 2 || reqs[0].Headers.Get("X-Plex-Token") != tokenA || reqs[1].Headers.Get("X-Plex-Token") != badToken {
		t.Fatalf("requests: %d", len(reqs))
	}

	// A bad call token fails; no token shows in the error or the option.
	good := newClient(t, plexauth.Options{Token: tokenA, NoRetry: true})
	_, err = good.Ping(ctx, plexauth.WithToken(revokedToken))
	e := asError(t, err, plexauth.ErrUnauthorized)
	shown := fmt.Sprintf("%v %+v %#v %s %v %#v", err, e, e, e.Body, opt, opt)
	for _, tok := range []string{tokenA, revokedToken, badToken} {
		if strings.Contains(shown, tok) {
			t.Fatalf("a token shows: %s", shown)
		}
	}
	if _, err := good.Ping(ctx, plexauth.WithToken("a\x00b")); !errors.Is(err, plexauth.ErrInvalidArgument) ||
		strings.Contains(err.Error(), "a\x00b") {
		t.Fatalf("NUL in the token: %v", err)
	}
}

func TestDeviceName(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA, ClientID: "dev-name", DeviceName: "Living Room TV"})
	ctx := context.Background()
	if _, err := c.Ping(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Ping(ctx, plexauth.WithDeviceName("Kitchen Tablet")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SignIn(ctx, plexauth.SignInRequest{Login: loginA, Password: passwordA, DeviceName: "Sign-in Box"}); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range requests(t, "") {
		got = append(got, r.Headers.Get("X-Plex-Device-Name"))
	}
	if want := []string{"Living Room TV", "Kitchen Tablet", "Sign-in Box"}; strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("X-Plex-Device-Name sent: %q, want %q", got, want)
	}
}
