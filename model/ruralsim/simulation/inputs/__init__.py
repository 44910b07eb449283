"""What a run is told: the parameters (data with provenance: default, unit, range, source), the scenario
files that override them, the year tables and each programme's path. Nothing here simulates; every other
sub-package reads from here, so it imports none of them."""
