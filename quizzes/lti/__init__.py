"""LTI 1.3 Advantage: launches from Moodle/Canvas, deep linking, grades back (AGS), rosters (NRPS).

Built on django-lti (``lti_tool``: registrations, deployments, contexts, keys) and pylti1p3
(message validation, service calls). See the README, "LTI 1.3", for setting it up in an LMS.
"""
