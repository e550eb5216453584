"""Accounts use Django's User: ``first_name`` holds the public display name.

The public change log (tracker) reads it through history's user foreign keys,
so tracker never imports this app; the e-mail address is never shown publicly.
"""
