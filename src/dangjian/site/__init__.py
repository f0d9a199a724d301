"""The site: what each URL answers, for the server and the static site alike."""
