"""``ruralsim app``: a local, offline web page to move policy levers and see the outcomes.

The page compares the chosen policy with the baseline under common random numbers (same seed,
same replicates), so the paired difference is the policy's effect. Built on Dash, whose wheel
carries React and plotly.js, so nothing is fetched from a CDN at run time.

Modules: :mod:`.levers` (which parameters the page controls and how), :mod:`.runs` (cached,
cancellable runs in worker processes), :mod:`.outcomes` (tables of the charts), :mod:`.charts`
(plotly figures), :mod:`.labels` (en/zh text), :mod:`.scenario_file` (save as scenario),
:mod:`.page` (layout and callbacks), :mod:`.sessions` (each browser's own requests and downloads,
bounded), :mod:`.guard` (Host check, token for a non-loopback address, headers).
"""
