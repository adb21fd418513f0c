"""FrontDesk (物业前台): the service-counter application of a residential community."""

__version__ = "0.1.0"
