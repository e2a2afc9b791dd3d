class Refused(Exception):
    """A change the tour's rules do not allow. The message is Dutch and meant for the user."""
