"""A randomized, reproducible soak: Home Assistant against the simulator under chaos.

The soak mixes server-side changes, user commands through Home Assistant and faults,
then checks at each quiet point that every entity shows what the simulator holds.
``plan`` draws what happens from the seed alone, ``world`` acts on the server side,
``user`` through Home Assistant, ``faults`` breaks and mends the server, ``model``
compares, ``driver`` runs the rounds and ``report`` sums them up.
"""
