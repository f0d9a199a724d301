"""Plain text helpers: Chinese numerals and amounts, captured pages cleaned, the nearest of some names."""
