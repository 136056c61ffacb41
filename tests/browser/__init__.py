"""Browser tests of the built book: every page in headless Chromium, offline."""
