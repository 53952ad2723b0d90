"""Users and roles, managed by the administrator in the app (issue 11, item 5).

``actions`` is the one door for every write to an account: creating a person, giving and
taking roles, deactivating and reactivating, and the set-password link (Django's own
``PasswordResetForm`` and token generator). Each checks ``manage_users`` in the one access
model and writes an audit entry in the same transaction. The pages are in ``views``.
"""
