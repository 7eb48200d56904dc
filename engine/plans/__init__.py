"""Plan benefit designs, formularies, pharmacy networks, prices and members as data."""
