"""Speed and memory benchmarks. Each reports ratios against a baseline measured in the same run."""
