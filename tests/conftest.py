"""Shared test configuration.

Hypothesis runs derandomised, so that a test run is reproducible, with no
deadline (the machine is shared and timing is not what these tests check).
"""

from hypothesis import settings

settings.register_profile("mmlbook", max_examples=50, deadline=None, derandomize=True,
                          print_blob=True)
settings.load_profile("mmlbook")
