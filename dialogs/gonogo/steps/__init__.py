"""The go/no-go steps, one module per thing the user does."""
