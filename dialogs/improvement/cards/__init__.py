"""The improvement journey's cards: plans, CIP items, change requests and answers to a rating."""
