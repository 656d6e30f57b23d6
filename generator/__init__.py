"""HostPolicy: privacy policies for web-hosting businesses, from a vetted clause library.

The flow is one line: answers -> assembly (clauses + catalogues) -> policy document -> renderers.
"""
