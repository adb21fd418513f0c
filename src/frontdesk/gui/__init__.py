"""Qt widgets over the services. Never imports sqlalchemy or frontdesk.db."""
