"""Benchmarks of issue 4: `make bench` (`python -m bench`) writes bench/results.json and .md."""
