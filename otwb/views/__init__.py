"""Views of the tour, one module per screen family. They stay thin: fetch through the
access policy, validate a form, call a service, show the outcome."""
