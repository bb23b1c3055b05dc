"""Contract tests: every operation through the SDK against Stoplight Prism serving the spec."""
