"""Benchmarks: each compares the product's way with a baseline, side by side, on the same data."""
