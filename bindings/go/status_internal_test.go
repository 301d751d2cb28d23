package plexauth

import (
	"strings"
	"testing"
)

// TestEveryStatusHasASentinel walks the library's statuses (until
// plexauth_status_name says "unknown"): each but OK has a sentinel whose text
// is its name, so a status added to codegen/api.py cannot lack one.
func TestEveryStatusHasASentinel(t *testing.T) {
	n := 0
	for st := StatusOK + 1; st.String() != "unknown"; st++ {
		n++
		err, ok := sentinels[st]
		if !ok {
			t.Errorf("status %d (%s) has no sentinel", int(st), st)
			continue
		}
		if want := "plexauth: " + strings.ReplaceAll(st.String(), "_", " "); err.Error() != want {
			t.Errorf("status %s: sentinel %q, want %q", st, err, want)
		}
		if !(&Error{Status: st}).Is(err) {
			t.Errorf("status %s does not match its sentinel", st)
		}
	}
	if n != len(sentinels) || n < int(StatusPINRequired) {
		t.Fatalf("%d statuses, %d sentinels", n, len(sentinels))
	}
}
