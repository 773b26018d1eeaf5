"""The rules of Money Maatjes, each in one place.

Operations add and flush but never commit: the caller (a view, a CLI command, a scheduled
job) owns the transaction. A broken rule raises ``RuleViolation`` with a translatable message.
Anything that depends on "today" takes it as a parameter.
"""
