"""OpenTelemetry spans: the tracing layer, the observer seam, the switch."""
