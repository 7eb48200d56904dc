"""The HTTP load generator: real D.0 B1/B2/E1 bytes, open or closed loop, an echo ceiling.

``workload`` builds the members file and the requests, ``client`` is the HTTP
client, ``runner`` drives open and closed loops, ``stats`` and ``report`` turn
samples into figures, ``cli`` is ``python -m benchmarks.loadgen``.
"""

__all__: list[str] = []
