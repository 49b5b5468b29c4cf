"""Turns assessment files (text, PDF) into typed ``Assessment`` values and stores them."""
