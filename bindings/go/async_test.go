package plexauth_test

import (
	"context"
	"errors"
	"runtime/pprof"
	"sync"
	"testing"
	"time"

	"github.com/plexauth/plexauth-go"
)

// The calls run on the library's event loop (client.go, start): a goroutine
// waits on a channel, not in a blocking cgo call, so calls in flight do not
// each hold an OS thread.

const uuidA = "dae343c1f45beb4f"

func TestManyCallsInFlightDoNotEachTakeAThread(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA})
	const n = 200
	faults := make([]fault, n)
	for i := range faults {
		faults[i] = fault{"delay_ms": 300}
	}
	queueFaults(t, "/api/v2/user", faults...)
	if _, err := c.Ping(context.Background()); err != nil { // the client's loop thread exists now
		t.Fatal(err)
	}
	threads := pprof.Lookup("threadcreate")
	before := threads.Count()
	start := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, n)
	uuids := make([]string, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			a, err := c.GetTokenDetails(context.Background())
			if err == nil && a.UUID != nil {
				uuids[i] = *a.UUID
			}
			errs[i] = err
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	created := threads.Count() - before
	for i := 0; i < n; i++ {
		if errs[i] != nil || uuids[i] != uuidA {
			t.Fatalf("call %d: %v, uuid %q", i, errs[i], uuids[i])
		}
	}
	if got := len(requests(t, "/api/v2/user")); got != n {
		t.Fatalf("the fake saw %d requests, want %d", got, n)
	}
	// Concurrent: 200 x 300 ms one after the other would take 60 s (the library opens up to 16
	// connections per host and queues the other calls).
	if elapsed > 30*time.Second {
		t.Fatalf("%d calls of 300 ms took %v", n, elapsed)
	}
	// A blocking cgo call per goroutine would hold ~200 threads at once.
	if created > 40 {
		t.Fatalf("%d OS threads created for %d calls in flight", created, n)
	}
	t.Logf("%d calls of 300 ms in %v, %d OS threads created", n, elapsed, created)
}

func TestContextCancelsManyCallsInFlight(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA})
	const n = 50
	faults := make([]fault, n)
	for i := range faults {
		faults[i] = fault{"delay_ms": 5000}
	}
	queueFaults(t, "/api/v2/user", faults...)
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	errs := make(chan error, n)
	start := time.Now()
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := c.GetTokenDetails(ctx)
			errs <- err
		}()
	}
	time.Sleep(300 * time.Millisecond) // all in flight: the fake holds each for 5 s
	// A call with another context on the same client is not affected.
	other := make(chan error, 1)
	go func() {
		_, err := c.GetTransientToken(context.Background())
		other <- err
	}()
	cancel()
	wg.Wait()
	close(errs)
	if d := time.Since(start); d > 3*time.Second {
		t.Fatalf("cancelled calls returned after %v", d)
	}
	for err := range errs {
		asError(t, err, plexauth.ErrCancelled)
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("cause: %v", err)
		}
	}
	if err := <-other; err != nil {
		t.Fatalf("the other call: %v", err)
	}
}

func TestCloseWaitsForCallsInFlight(t *testing.T) {
	setup(t)
	c := newClient(t, plexauth.Options{Token: tokenA})
	queueFaults(t, "/api/v2/user", fault{"delay_ms": 300})
	result := make(chan error, 1)
	go func() {
		_, err := c.GetTokenDetails(context.Background())
		result <- err
	}()
	time.Sleep(100 * time.Millisecond)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-result; err != nil {
		t.Fatalf("the call in flight during Close: %v", err)
	}
	_, err := c.GetTokenDetails(context.Background())
	asError(t, err, plexauth.ErrInvalidArgument)
}
