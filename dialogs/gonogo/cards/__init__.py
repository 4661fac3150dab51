"""The go/no-go cards, one module per card family."""
