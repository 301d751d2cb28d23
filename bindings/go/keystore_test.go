package plexauth_test

// Device keys in the application's own keystore (LoadOrCreateDeviceKeyWith,
// SaveWith) with a keystore in memory: created and written once, loaded
// without writing, the store's errors and panics, text that is not a key,
// and the stored key registering and logging in against the fake.

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"strings"
	"testing"

	"github.com/plexauth/plexauth-go"
)

// memoryStore is an application's keystore in memory: what it holds and what
// it was asked.
type memoryStore struct {
	stored     []byte
	reads      int
	writes     [][]byte
	readErr    error
	writeErr   error
	panicRead  bool
	panicWrite bool
}

func (m *memoryStore) ReadKey() ([]byte, error) {
	m.reads++
	if m.panicRead {
		panic("the keychain fell over")
	}
	return m.stored, m.readErr
}

func (m *memoryStore) WriteKey(pem []byte) error {
	m.writes = append(m.writes, bytes.Clone(pem))
	if m.panicWrite {
		panic("the keychain fell over")
	}
	if m.writeErr != nil {
		return m.writeErr
	}
	m.stored = bytes.Clone(pem)
	return nil
}

func TestKeyStoreGetsANewKeyOnceAndItsKeyLogsIn(t *testing.T) {
	setup(t)
	store := &memoryStore{}
	made, created, err := plexauth.LoadOrCreateDeviceKeyWith(store)
	if err != nil {
		t.Fatal(err)
	}
	defer made.Close()
	if !created || store.reads != 1 || len(store.writes) != 1 {
		t.Fatalf("created %v, %d reads, %d writes; want a new key read once, written once", created, store.reads, len(store.writes))
	}
	written := store.writes[0]
	if !bytes.HasPrefix(written, []byte("-----BEGIN PRIVATE KEY-----\n")) {
		t.Fatal("not PKCS#8 PEM text")
	}
	if pemText, err := made.PEM(); err != nil || !bytes.Equal(pemText, written) {
		t.Fatalf("the written text is not PEM()'s (%v)", err)
	}
	fromStore, err := plexauth.DeviceKeyFromPEM(written)
	if err != nil || fromStore.ID() != made.ID() {
		t.Fatalf("the written PEM is not that key: %v", err)
	}
	fromStore.Close()

	again, created, err := plexauth.LoadOrCreateDeviceKeyWith(store)
	if err != nil {
		t.Fatal(err)
	}
	defer again.Close()
	if created || again.ID() != made.ID() || again.JWK() != made.JWK() {
		t.Fatalf("created %v, id %s; want the stored key %s", created, again.ID(), made.ID())
	}
	if store.reads != 2 || len(store.writes) != 1 {
		t.Fatalf("%d reads, %d writes: a stored key is not written again", store.reads, len(store.writes))
	}

	// SaveWith writes the text PEM gives, once, and reads nothing.
	other := &memoryStore{}
	if err := made.SaveWith(other); err != nil {
		t.Fatal(err)
	}
	if pemText, _ := made.PEM(); len(other.writes) != 1 || !bytes.Equal(other.writes[0], pemText) || other.reads != 0 {
		t.Fatalf("SaveWith: %d writes, %d reads", len(other.writes), other.reads)
	}

	// The key from the keystore registers and logs in against the fake.
	c, _, _ := jwtDevice(t)
	register(t, c, again)
	jwt := jwtLogin(t, c, again)
	if _, claims, _, _ := jwtParts(t, jwt); claims["thumbprint"] != made.ID() {
		t.Fatalf("Plex JWT claims %v", claims)
	}
	ctx := context.Background()
	if _, err := c.JWTVerify(ctx, jwt, again); err != nil {
		t.Fatal(err)
	}
	user := newClient(t, plexauth.Options{Token: jwt, NoRetry: true})
	if me, err := user.GetTokenDetails(ctx); err != nil || me.Email == nil || *me.Email != loginA {
		t.Fatalf("GetTokenDetails with the JWT: %v", err)
	}
}

func TestKeyStoreErrorsComeBackWrappedWithNoKey(t *testing.T) {
	// ReadKey fails: its error, wrapped; nothing written.
	store := &memoryStore{readErr: fs.ErrPermission}
	key, created, err := plexauth.LoadOrCreateDeviceKeyWith(store)
	e := asError(t, err, plexauth.ErrCallback)
	if key != nil || created || !errors.Is(err, fs.ErrPermission) || !strings.Contains(e.Message, "ReadKey failed") {
		t.Fatalf("key %v, created %v, err %v", key, created, err)
	}
	if store.reads != 1 || len(store.writes) != 0 {
		t.Fatalf("%d reads, %d writes", store.reads, len(store.writes))
	}

	// WriteKey fails: a new key that could not be stored is not handed out.
	store = &memoryStore{writeErr: fs.ErrClosed}
	key, _, err = plexauth.LoadOrCreateDeviceKeyWith(store)
	e = asError(t, err, plexauth.ErrCallback)
	if key != nil || !errors.Is(err, fs.ErrClosed) || !strings.Contains(e.Message, "WriteKey failed") {
		t.Fatalf("key %v, err %v", key, err)
	}
	if len(store.writes) != 1 || store.stored != nil {
		t.Fatalf("%d writes", len(store.writes))
	}
	k, err := plexauth.GenerateDeviceKey()
	if err != nil {
		t.Fatal(err)
	}
	defer k.Close()
	if err := k.SaveWith(store); !errors.Is(err, fs.ErrClosed) || !errors.Is(err, plexauth.ErrCallback) {
		t.Fatalf("SaveWith: %v", err)
	}

	// A panic in the store does not cross the C frames: ErrCallback.
	for _, s := range []*memoryStore{{panicRead: true}, {panicWrite: true}} {
		key, _, err = plexauth.LoadOrCreateDeviceKeyWith(s)
		e = asError(t, err, plexauth.ErrCallback)
		if key != nil || !strings.Contains(e.Message, "panicked") || !strings.Contains(errors.Unwrap(err).Error(), "fell over") {
			t.Fatalf("key %v, err %v", key, err)
		}
	}
	if err := k.SaveWith(&memoryStore{panicWrite: true}); !errors.Is(err, plexauth.ErrCallback) {
		t.Fatalf("SaveWith: %v", err)
	}

	_, _, err = plexauth.LoadOrCreateDeviceKeyWith(nil)
	asError(t, err, plexauth.ErrInvalidArgument)
	asError(t, k.SaveWith(nil), plexauth.ErrInvalidArgument)
	closed, _ := plexauth.GenerateDeviceKey()
	closed.Close()
	asError(t, closed.SaveWith(&memoryStore{}), plexauth.ErrInvalidArgument)
}

func TestKeyStoreHoldingNoKeyTextIsAnErrorAndKept(t *testing.T) {
	const secret = "c2VjcmV0LWtleS1tYXRlcmlhbA"
	garbage := "-----BEGIN PRIVATE KEY-----\n" + secret + "==\n-----END PRIVATE KEY-----\n"
	for _, text := range []string{garbage, "hello", ""} {
		store := &memoryStore{stored: []byte(text)}
		key, _, err := plexauth.LoadOrCreateDeviceKeyWith(store)
		asError(t, err, plexauth.ErrInvalidArgument)
		noSecret(t, "the error", err.Error(), secret)
		if key != nil || len(store.writes) != 0 || string(store.stored) != text {
			t.Fatalf("%q: a stored text that is not a key was replaced", text)
		}
	}
	// Text the library refuses before parsing (a NUL, not UTF-8, over 64 KiB):
	// a callback failure, never taken for "no key stored".
	for _, text := range [][]byte{[]byte("PEM\x00text"), {0xff, 0xfe}, bytes.Repeat([]byte("A"), 65*1024)} {
		store := &memoryStore{stored: text}
		key, _, err := plexauth.LoadOrCreateDeviceKeyWith(store)
		asError(t, err, plexauth.ErrCallback)
		if key != nil || len(store.writes) != 0 {
			t.Fatal("a refused text was taken for no key")
		}
	}
}
