"""The steps each meeting verb runs, grouped by what the people are doing."""
