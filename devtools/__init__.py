"""Tools for developers: the demo program, the benchmarks and the load test.

Installed only outside production (the `DEVTOOLS` setting, on by default when
`DEBUG` is). The product apps never import it; it imports them freely.
"""
