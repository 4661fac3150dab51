"""Pure commissioning rules: indicators, calendars, deadlines, scoring and payments. No I/O."""
