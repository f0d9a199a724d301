"""Remote triple stores: HTTP with retries and authentication, the SPARQL protocols, and push."""
