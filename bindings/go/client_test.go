package plexauth_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/plexauth/plexauth-go"
)

func TestCancelDuringTransfer(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA})
	queueFaults(t, "/api/v2/user", fault{"delay_ms": 5000})
	ctx, cancel := context.WithCancel(context.Background())
	timer := time.AfterFunc(200*time.Millisecond, cancel)
	defer timer.Stop()
	start := time.Now()
	_, err := c.GetTokenDetails(ctx)
	elapsed := time.Since(start)
	e := asError(t, err, plexauth.ErrCancelled)
	if !errors.Is(err, context.Canceled) || errors.Is(err, plexauth.ErrTimeout) || e.Attempts != 1 {
		t.Fatalf("cancel: %v (attempts %d)", err, e.Attempts)
	}
	if elapsed < 150*time.Millisecond || elapsed > 1500*time.Millisecond {
		t.Fatalf("cancelled after 200 ms, returned after %v", elapsed)
	}
}

func TestDeadlineDuringTransfer(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA})
	queueFaults(t, "/security/resources", fault{"delay_ms": 5000})
	ctx, cancel := context.WithTimeout(context.Background(), 250*time.Millisecond)
	defer cancel()
	start := time.Now()
	_, err := c.GetSourceConnectionInformation(ctx, knownSource)
	asError(t, err, plexauth.ErrCancelled)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("deadline: %v", err)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Fatalf("deadline of 250 ms, returned after %v", d)
	}
}

func TestCancelDuringBackoff(t *testing.T) {
	setup(t)
	patient := plexauth.RetryPolicy{InitialInterval: 20 * time.Second, MaxElapsed: 5 * time.Minute}
	c := newClient(t, plexauth.Options{Token: tokenA, Retry: &patient})
	for _, tc := range []struct {
		name   string
		faults []fault
	}{
		{"exponential backoff", []fault{{"status": 503}}},
		{"Retry-After", []fault{{"status": 503, "retry_after": "30"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			setup(t)
			queueFaults(t, "/api/v2/user", tc.faults...)
			ctx, cancel := context.WithCancel(context.Background())
			timer := time.AfterFunc(300*time.Millisecond, cancel)
			defer timer.Stop()
			start := time.Now()
			_, err := c.GetTokenDetails(ctx)
			elapsed := time.Since(start)
			asError(t, err, plexauth.ErrCancelled)
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("not context.Canceled: %v", err)
			}
			if elapsed > 2*time.Second {
				t.Fatalf("cancelled after 300 ms, returned after %v", elapsed)
			}
			if n := len(requests(t, "/api/v2/user")); n != 1 {
				t.Fatalf("%d attempts, want 1 (cancelled while waiting to retry)", n)
			}
		})
	}
}

// TestCancelRacingCompletion cancels contexts at about the time calls
// complete, so that the cancel trigger sometimes runs while the call
// returns: each call must give either the account or a cancellation error.
func TestCancelRacingCompletion(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA, NoRetry: true})
	var ok, cancelled int
	for i := 0; i < 200; i++ {
		ctx, cancel := context.WithCancel(context.Background())
		timer := time.AfterFunc(time.Duration(i%50)*5*time.Microsecond, cancel)
		a, err := c.GetTokenDetails(ctx)
		timer.Stop()
		cancel()
		switch {
		case err == nil && *a.Username == "Username":
			ok++
		case errors.Is(err, plexauth.ErrCancelled) && errors.Is(err, context.Canceled):
			cancelled++
		default:
			t.Fatalf("call %d: %v", i, err)
		}
	}
	t.Logf("%d completed, %d cancelled", ok, cancelled)
}

func TestAlreadyCancelledContext(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.SignIn(ctx, plexauth.SignInRequest{Login: loginA, Password: passwordA, ClientID: "x"})
	if e := asError(t, err, plexauth.ErrCancelled); e.Attempts != 0 || !errors.Is(err, context.Canceled) {
		t.Fatalf("pre-cancelled: %+v", e)
	}
	if n := len(requests(t, "")); n != 0 {
		t.Fatalf("%d requests sent with a cancelled context", n)
	}
}

func TestConcurrentGoroutinesShareOneClient(t *testing.T) {
	setup(t)
	var provided atomic.Int64
	c := newClient(t, plexauth.Options{TokenProvider: func() (string, error) {
		provided.Add(1)
		return tokenA, nil
	}})
	const goroutines, rounds = 8, 6
	var wg sync.WaitGroup
	errs := make(chan error, goroutines*rounds)
	for g := 0; g < goroutines; g++ {
		wg.Add(1)
		go func(g int) {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			for i := 0; i < rounds; i++ {
				switch (g + i) % 3 {
				case 0:
					a, err := c.GetTokenDetails(ctx)
					if err == nil && *a.Username != "Username" {
						err = fmt.Errorf("wrong account %q", *a.Username)
					}
					errs <- err
				case 1:
					tt, err := c.GetTransientToken(ctx)
					if err == nil && !strings.HasPrefix(*tt.Token, "transient-") {
						err = fmt.Errorf("wrong token")
					}
					errs <- err
				case 2:
					s, err := c.GetSourceConnectionInformation(ctx, knownSource)
					if err == nil && len(s.Connections) != 2 {
						err = fmt.Errorf("%d connections", len(s.Connections))
					}
					errs <- err
				}
			}
		}(g)
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	if n := len(requests(t, "")); int64(n) != provided.Load() || n != goroutines*rounds {
		t.Fatalf("%d requests, %d provider calls, want %d each", n, provided.Load(), goroutines*rounds)
	}
}

func TestCloseWaitsForCallsThenRefuses(t *testing.T) {
	setup(t)
	c, err := plexauth.NewClient(plexauth.Options{Token: tokenA, ServerURL: fakeBase, PlexTVURL: plexTVURL})
	if err != nil {
		t.Fatal(err)
	}
	queueFaults(t, "/api/v2/user", fault{"delay_ms": 400})
	result := make(chan error, 1)
	go func() {
		_, err := c.GetTokenDetails(context.Background())
		result <- err
	}()
	// Wait until the request is in flight.
	for deadline := time.Now().Add(5 * time.Second); len(requests(t, "/api/v2/user")) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("the request never reached the server")
		}
		time.Sleep(10 * time.Millisecond)
	}
	// The fake answers 400 ms after the request arrived: Close must wait.
	start := time.Now()
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d < 250*time.Millisecond {
		t.Fatalf("Close returned after %v, before the call in progress finished", d)
	}
	select {
	case err := <-result:
		if err != nil {
			t.Fatalf("in-flight call: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the in-flight call never returned")
	}
	_, err = c.GetTokenDetails(context.Background())
	asError(t, err, plexauth.ErrInvalidArgument)
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
}

func TestLogger(t *testing.T) {
	setup(t)
	var mu sync.Mutex
	var lines []string
	var levels []plexauth.LogLevel
	logger := func(level plexauth.LogLevel, msg string) {
		mu.Lock()
		defer mu.Unlock()
		lines, levels = append(lines, msg), append(levels, level)
	}
	c := newClient(t, plexauth.Options{Token: tokenA, ClientID: "x", Logger: logger})
	queueFaults(t, "/api/v2/user", fault{"status": 503})
	if _, err := c.GetTokenDetails(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := c.SignIn(context.Background(), plexauth.SignInRequest{Login: loginB, Password: passwordB, VerificationCode: codeB}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(lines) == 0 {
		t.Fatal("no log lines for a retried call and a sign-in")
	}
	for i, l := range lines {
		if levels[i] < plexauth.LogError || levels[i] > plexauth.LogDebug {
			t.Errorf("level %d", levels[i])
		}
		for _, secret := range []string{tokenA, tokenB, passwordB, codeB} {
			if strings.Contains(l, secret) {
				t.Errorf("log line leaks a secret: %q", l)
			}
		}
	}

	// The most verbose level is honoured; the insecure option warns.
	lines, levels = nil, nil
	mu.Unlock()
	quiet := newClient(t, plexauth.Options{Token: tokenA, Logger: logger, LogLevel: plexauth.LogWarn, InsecureSkipTLSVerify: true})
	if _, err := quiet.GetTokenDetails(context.Background()); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	warned := false
	for _, lv := range levels {
		if lv > plexauth.LogWarn {
			t.Errorf("level %v logged with LogLevel warn", lv)
		}
		warned = warned || lv == plexauth.LogWarn
	}
	if !warned {
		t.Errorf("no warning for InsecureSkipTLSVerify: %q", lines)
	}
}
