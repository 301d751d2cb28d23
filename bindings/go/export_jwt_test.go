package plexauth

// Test hooks for jwt_test.go (package plexauth_test): whether the C objects
// behind a JWTSession and a Client were freed, which no public method shows.

// JWTSessionFreed reports whether the session's C session was freed.
func JWTSessionFreed(s *JWTSession) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.ptr == nil
}

// ClientFreed reports whether the client's C client was freed (not merely
// hidden by Close while a JWTSession still refreshes through it).
func ClientFreed(c *Client) bool {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.ptr == nil && c.kept == nil
}
