"""Throughput and memory benchmarks: `python -m benchmarks` (or `make bench`); figures are ratios, never asserted."""
