"""Background tasks: the periodic schedule, the task worker and `partnerpost tasks`.

The tasks themselves live in the apps they belong to (`content/tasks.py`, `discovery/tasks.py`,
`mailing/tasks.py`); this app sits on top, like the CLI, and only schedules and runs them.
"""
