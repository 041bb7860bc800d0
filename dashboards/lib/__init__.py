"""Logic behind the pages: session and sign-in, formatting, messages, marts queries."""
