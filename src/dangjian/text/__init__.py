"""Reading Chinese text: numerals and the amounts that news articles state."""
