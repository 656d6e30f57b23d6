"""The public side of a published policy: `/p/<slug>/` serves the version in force, every earlier
version, what changed, an Atom feed and a subscription to notices of change, without the secret
link and without any draft data. The wizard only links here (the publish form and the address box
on the review step); everything else lives in this package and templates/public/.
"""
